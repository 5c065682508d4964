"""The artifacts repository and operations on SQLite and on a real PostgreSQL: created
through the operations and through the engine's record batches (the same rows), key
versions and the latest per key, updates, deletes moving the latest back, filters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from headwater.core.artifact_schemas import ArtifactCount, ArtifactCreate, ArtifactFilterRequest, ArtifactUpdate
from headwater.core.settings import load_settings
from headwater.exceptions import ObjectNotFound, ParameterValidationError
from headwater.operations import Operations
from headwater.orchestrator.records import ArtifactCreated, ArtifactUpdated
from headwater.store import Store


@pytest.fixture
def ops(store_url: str, tmp_path) -> Iterator[Operations]:  # type: ignore[no-untyped-def]
    store = Store.open(store_url, busy_timeout_seconds=10)
    yield Operations(store, load_settings(home=str(tmp_path)), own_store=True)
    store.close()


def _keyed(key: str) -> ArtifactFilterRequest:
    return ArtifactFilterRequest.model_validate({"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC"})


def test_versions_of_a_key_and_the_latest(ops: Operations) -> None:
    first = ops.create_artifact(ArtifactCreate(key="report", type="markdown", data="v1", description="d1"))
    second = ops.create_artifact(ArtifactCreate(key="report", type="table", data='[{"a": 1}]'))
    ops.create_artifact(ArtifactCreate(type="markdown", data="no key"))
    assert [a.data for a in ops.filter_artifacts(_keyed("report"))] == ['[{"a": 1}]', "v1"]
    latest = ops.read_latest_artifact("report")
    assert (latest.id, latest.type, latest.description) == (second.id, "table", None)
    collections = ops.filter_latest_artifacts(ArtifactFilterRequest())
    assert [(c.key, c.latest_id) for c in collections] == [("report", second.id)]
    assert ops.count_artifacts(ArtifactCount()) == 3
    assert ops.count_latest_artifacts(ArtifactCount()) == 1
    no_key = ArtifactCount.model_validate({"artifacts": {"key": {"exists_": False}}})
    assert ops.count_artifacts(no_key) == 1

    ops.delete_artifact(second.id)  # the previous version becomes the latest again
    assert ops.read_latest_artifact("report").id == first.id
    assert ops.filter_latest_artifacts(ArtifactFilterRequest())[0].latest_id == first.id
    ops.delete_artifact(first.id)
    with pytest.raises(ObjectNotFound, match="report"):
        ops.read_latest_artifact("report")
    assert ops.count_latest_artifacts(ArtifactCount()) == 0
    with pytest.raises(ObjectNotFound, match=first.id):
        ops.delete_artifact(first.id)


def test_records_from_a_run_make_the_same_rows(ops: Operations) -> None:
    ops.store.history.write([
        ArtifactCreated("00000000-0000-7000-8000-000000000001", "progress-key", "progress", "start", 0.0,
                        "fr-1", "tr-1", 100.0),
        ArtifactUpdated("00000000-0000-7000-8000-000000000001", 40.0, None, 101.0),  # folded into the insert
        ArtifactCreated("00000000-0000-7000-8000-000000000002", "progress-key", "markdown", None, "**x**",
                        "fr-1", None, 102.0),
    ])
    ops.store.history.write([ArtifactUpdated("00000000-0000-7000-8000-000000000001", 75.5, "nearly", 103.0)])
    first = ops.read_artifact("00000000-0000-7000-8000-000000000001")
    assert (first.data, first.description, first.flow_run_id, first.task_run_id) == (75.5, "nearly", "fr-1", "tr-1")
    assert first.updated.timestamp() == 103.0 and first.created.timestamp() == 100.0
    assert ops.read_latest_artifact("progress-key").data == "**x**"
    by_run = ArtifactFilterRequest.model_validate({"task_runs": {"id": {"any_": ["tr-1"]}}})
    assert [a.id for a in ops.filter_artifacts(by_run)] == [first.id]
    # A batch sent again (client mode after a lost reply) changes nothing.
    ops.store.history.write([ArtifactCreated("00000000-0000-7000-8000-000000000001", "progress-key", "progress", "start",
                                     0.0, "fr-1", "tr-1", 100.0)])
    assert ops.read_artifact(first.id).data == 75.5
    assert ops.read_latest_artifact("progress-key").data == "**x**"


def test_update_and_bad_input(ops: Operations) -> None:
    made = ops.create_artifact(ArtifactCreate(key="bar", type="progress", data=1.0, metadata_={"a": "b"}))
    assert made.metadata_ == {"a": "b"}
    ops.update_artifact(made.id, ArtifactUpdate(data=50.0))
    again = ops.read_artifact(made.id)
    assert (again.data, again.metadata_) == (50.0, {"a": "b"})
    with pytest.raises(ObjectNotFound):
        ops.update_artifact("00000000-0000-0000-0000-000000000000", ArtifactUpdate(data=1))
    with pytest.raises(ParameterValidationError, match="JSON"):
        ops.create_artifact(ArtifactCreate(data=float("nan")))
    with pytest.raises(ValueError, match="lowercase letters, numbers, and dashes"):
        ArtifactCreate(key="Not_Valid")


def test_filters_and_sorts(ops: Operations) -> None:
    for key, kind in [("b-key", "table"), ("a-key", "markdown"), ("c-key", "image")]:
        ops.create_artifact(ArtifactCreate(key=key, type=kind, data="x", flow_run_id="run-" + key))
    request = ArtifactFilterRequest.model_validate({"sort": "KEY_ASC"})
    assert [a.key for a in ops.filter_artifacts(request)] == ["a-key", "b-key", "c-key"]
    request = ArtifactFilterRequest.model_validate({"sort": "KEY_DESC", "limit": 1, "offset": 1})
    assert [a.key for a in ops.filter_latest_artifacts(request)] == ["b-key"]
    request = ArtifactFilterRequest.model_validate({"artifacts": {"type": {"not_any_": ["table"]}, "key": {
        "like_": "KEY"}}, "sort": "KEY_ASC"})
    assert [a.key for a in ops.filter_artifacts(request)] == ["a-key", "c-key"]
    request = ArtifactFilterRequest.model_validate({"flow_runs": {"id": {"any_": ["run-c-key"]}}})
    assert [a.key for a in ops.filter_latest_artifacts(request)] == ["c-key"]
