"""The variables repository and operations on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from headwater.core.deployment_schemas import ClaimedRun
from headwater.core.settings import load_settings
from headwater.core.variable_schemas import (
    VariableCount,
    VariableCreate,
    VariableFilterRequest,
    VariableFilterSpec,
    VariableUpdate,
)
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound, ParameterValidationError
from headwater.operations import Operations
from headwater.store import Store


@pytest.fixture
def ops(store_url: str, tmp_path) -> Iterator[Operations]:  # type: ignore[no-untyped-def]
    store = Store.open(store_url, busy_timeout_seconds=10)
    yield Operations(store, load_settings(home=str(tmp_path), variable_max_bytes=1000), own_store=True)
    store.close()


def test_create_read_update_delete(ops: Operations) -> None:
    values = [{"nested": {"list": [1, 2.5, None, True]}}, "text", 3, 1.5, None, False, [], {}]
    for i, value in enumerate(values):
        ops.create_variable(VariableCreate(name=f"v{i}", value=value, tags=["t"] if i % 2 else []))
    assert [ops.read_variable(f"v{i}").value for i in range(len(values))] == values
    created = ops.read_variable("v1")
    assert created.tags == ["t"] and ops.read_variable_by_id(created.id).name == "v1"

    updated = ops.update_variable("v1", VariableUpdate(value={"k": "new"}))
    assert (updated.value, updated.tags) == ({"k": "new"}, ["t"])  # tags not given: kept
    assert updated.updated >= created.updated
    assert ops.update_variable("v1", VariableUpdate(tags=[])).value == {"k": "new"}
    assert ops.update_variable("v1", VariableUpdate(value=None)).value is None
    renamed = ops.update_variable("v1", VariableUpdate(name="v1-renamed"))
    assert renamed.id == created.id
    with pytest.raises(ObjectNotFound, match="'v1'"):
        ops.read_variable("v1")

    ops.delete_variable("v1-renamed")
    with pytest.raises(ObjectNotFound, match="no variable named 'v1-renamed'"):
        ops.delete_variable("v1-renamed")
    with pytest.raises(ObjectNotFound):
        ops.update_variable("v1-renamed", VariableUpdate(value=1))


def test_names_are_unique(ops: Operations) -> None:
    ops.create_variable(VariableCreate(name="taken", value=1))
    with pytest.raises(ObjectAlreadyExists, match="'taken' exists already"):
        ops.create_variable(VariableCreate(name="taken", value=2))
    ops.create_variable(VariableCreate(name="other", value=2))
    with pytest.raises(ObjectAlreadyExists):
        ops.update_variable("other", VariableUpdate(name="taken"))
    assert ops.read_variable("taken").value == 1


def test_racing_creates_make_one_variable(ops: Operations) -> None:
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def create(i: int) -> None:
        start.wait()
        try:
            ops.create_variable(VariableCreate(name="raced", value=i))
            outcomes.append("created")
        except ObjectAlreadyExists:
            outcomes.append("exists")

    threads = [threading.Thread(target=create, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created", "exists", "exists", "exists"]


def test_values_are_bounded_by_the_setting(ops: Operations) -> None:
    ops.create_variable(VariableCreate(name="fits", value="x" * 900))
    with pytest.raises(ParameterValidationError, match=r"more than the limit of 1,000.*HEADWATER_VARIABLE_MAX_BYTES"):
        ops.create_variable(VariableCreate(name="big", value="x" * 1000))
    with pytest.raises(ParameterValidationError, match="more than the limit"):
        ops.update_variable("fits", VariableUpdate(value=["x" * 600, "y" * 600]))
    with pytest.raises(ParameterValidationError, match="must be JSON"):
        ops.create_variable(VariableCreate(name="nan", value=float("nan")))
    assert ops.read_variable("fits").value == "x" * 900
    with pytest.raises(ObjectNotFound):
        ops.read_variable("big")


def test_filter_sort_page_and_count(ops: Operations) -> None:
    for name, tags in [("b-one", ["x"]), ("a-two", ["x", "y"]), ("c-three", []), ("d_four", ["y"])]:
        ops.create_variable(VariableCreate(name=name, value=name, tags=tags))

    def names(**request: object) -> list[str]:
        return [v.name for v in ops.filter_variables(VariableFilterRequest.model_validate(request))]

    assert names() == ["a-two", "b-one", "c-three", "d_four"]
    assert names(sort="NAME_DESC", limit=2) == ["d_four", "c-three"]
    assert names(limit=2, offset=1) == ["b-one", "c-three"]
    assert names(sort="CREATED_DESC") == ["d_four", "c-three", "a-two", "b-one"]
    assert names(variables={"name": {"like_": "O"}}) == ["a-two", "b-one", "d_four"]
    assert names(variables={"name": {"like_": "_"}}) == ["d_four"]  # no SQL wildcards
    assert names(variables={"name": {"any_": ["c-three", "nope"]}}) == ["c-three"]
    assert names(variables={"tags": {"all_": ["x", "y"]}}) == ["a-two"]
    assert names(variables={"tags": {"all_": ["x"]}}, limit=1, offset=1) == ["b-one"]
    assert names(variables={"tags": {"is_null_": True}}) == ["c-three"]
    assert ops.count_variables(VariableCount()) == 4
    assert ops.count_variables(VariableCount(variables=VariableFilterSpec.model_validate(
        {"tags": {"all_": ["y"]}}))) == 2


def test_claimed_runs_get_variable_templates_resolved(ops: Operations) -> None:
    ops.create_variable(VariableCreate(name="region", value="eu-west-1"))
    ops.create_variable(VariableCreate(name="sizes", value=[1, 2]))
    template = {"region": "{{ prefect.variables.region }}", "sizes": "{{headwater.variables.sizes}}",
                "text": "in {{ prefect.variables.region }}/{{ prefect.variables.sizes }}",
                "nested": [{"gone": "{{ prefect.variables.missing }}"}], "other": "{{ not.a.variable }}", "n": 3}
    run = ClaimedRun(flow_run_id="r", flow_run_name="r", flow_name="f", deployment_id="d", deployment_name="d",
                     entrypoint="x.py:f", parameters=template, scheduled_time=0.0)
    (resolved,) = ops.resolve_claimed_parameters([run])
    assert resolved.parameters == {"region": "eu-west-1", "sizes": [1, 2], "text": "in eu-west-1/[1, 2]",
                                   "nested": [{"gone": ""}], "other": "{{ not.a.variable }}", "n": 3}
    assert run.parameters == template  # the claimed run itself is unchanged


def test_a_deployment_run_claimed_gets_current_variable_values(ops: Operations) -> None:
    from headwater.core.deployment_schemas import ClaimRequest, DeploymentCreate, DeploymentRunCreate

    deployment = ops.upsert_deployment(DeploymentCreate(
        name="nightly", flow_name="etl", entrypoint="flows.py:etl",
        parameters={"bucket": "{{ prefect.variables.bucket }}", "label": "to {{ headwater.variables.bucket }}"}))
    ops.create_variable(VariableCreate(name="bucket", value="s3://old"))
    run = ops.create_deployment_run(deployment.id, DeploymentRunCreate(parameters={"n": 2}))
    ops.update_variable("bucket", VariableUpdate(value="s3://new"))  # changed after the run was created

    (claimed,) = ops.claim_runs(ClaimRequest(deployment_ids=[deployment.id], limit=5))
    assert claimed.flow_run_id == run.id
    assert claimed.parameters == {"bucket": "s3://new", "label": "to s3://new", "n": 2}
