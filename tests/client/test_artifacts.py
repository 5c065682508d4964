"""Artifacts through the client and `headwater.artifacts`, on both transports: made
outside a run (through the client), made inside runs in a real process (through the
background writer: into the embedded database, or POSTed to the server), versions,
progress updates, deletes, and the REST API's statuses."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from support import ServerProcess

from headwater.client.orchestration import SyncPrefectClient
from headwater.client.schemas.actions import ArtifactCreate, ArtifactUpdate
from headwater.client.schemas.filters import (
    ArtifactCollectionFilter,
    ArtifactCollectionFilterKey,
    ArtifactFilter,
    ArtifactFilterKey,
)
from headwater.client.schemas.objects import Artifact, ArtifactCollection
from headwater.client.schemas.sorting import ArtifactSort
from headwater.exceptions import ObjectNotFound


@pytest.fixture
def key() -> str:
    """A key no other test uses (the server is shared)."""
    return f"key-{uuid.uuid4().hex[:10]}"


def _by_key(key: str) -> ArtifactFilter:
    return ArtifactFilter(key=ArtifactFilterKey(any_=[key]))


def test_client_create_read_update_delete(client: SyncPrefectClient, key: str) -> None:
    first = client.create_artifact(ArtifactCreate(key=key, type="markdown", data="# one", description="d"))
    assert isinstance(first, Artifact) and isinstance(first.id, uuid.UUID)
    assert (first.key, first.type, first.data, first.description) == (key, "markdown", "# one", "d")
    second = client.create_artifact(ArtifactCreate(key=key, type="progress", data=10.0))
    assert client.update_artifact(second.id, ArtifactUpdate(data=55.0)) is None
    versions = client.read_artifacts(artifact_filter=_by_key(key), sort=ArtifactSort.CREATED_DESC)
    assert [a.data for a in versions] == [55, "# one"]  # whole floats read back as ints, as on Prefect
    latest = client.read_latest_artifacts(
        artifact_filter=ArtifactCollectionFilter(key=ArtifactCollectionFilterKey(any_=[key])))
    assert len(latest) == 1 and isinstance(latest[0], ArtifactCollection) and latest[0].latest_id == second.id
    client.delete_artifact(second.id)
    assert client.read_latest_artifacts(
        artifact_filter=ArtifactCollectionFilter(key=ArtifactCollectionFilterKey(any_=[key])))[0].latest_id == first.id
    client.delete_artifact(first.id)
    assert client.read_artifacts(artifact_filter=_by_key(key)) == []
    with pytest.raises(ObjectNotFound):
        client.delete_artifact(first.id)
    with pytest.raises(ObjectNotFound):
        client.update_artifact(first.id, ArtifactUpdate(data=1))


FLOW = textwrap.dedent('''
    import warnings
    from headwater import flow, task
    from headwater.artifacts import (Artifact, create_markdown_artifact, create_progress_artifact,
                                     create_table_artifact, update_progress_artifact)

    KEY = {key!r}

    @task
    def step(i, progress_id):
        update_progress_artifact(progress_id, (i + 1) * 25)
        return create_markdown_artifact(f"step {{i}}", key=KEY)

    @flow
    def work():
        progress_id = create_progress_artifact(0, key=KEY + "-progress")
        ids = [step(i, progress_id) for i in range(4)]
        create_table_artifact({{"n": [1, 2]}}, key=KEY + "-table")
        return ids

    ids = work()
    latest = Artifact.get(KEY)
    print(latest.data, latest.id == ids[-1], latest.task_run_id is not None, latest.flow_run_id is not None)
    print(Artifact.get(KEY + "-progress").data, Artifact.get(KEY + "-table").data)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outside = create_markdown_artifact("outside", key=KEY + "-outside")
    print(Artifact.get(KEY + "-outside").id == outside, [w.category.__name__ for w in caught])
''')


def test_artifacts_made_in_runs_reach_the_store(client: SyncPrefectClient, transport_env: dict[str, str], key: str,
                                                tmp_path: Path) -> None:
    script = tmp_path / "flow.py"
    script.write_text(FLOW.format(key=key))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env["HEADWATER_HOME"] = str(tmp_path / "home")  # the client fixture's home
    env["HEADWATER_LOGGING_TO_CONSOLE"] = "false"
    env.update(transport_env)  # the same server or database as the client's
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["step 3 True True True", '100 {"n": [1, 2]}', "True ['FutureWarning']"]
    versions = client.read_artifacts(artifact_filter=_by_key(key))
    assert sorted(a.data for a in versions) == [f"step {i}" for i in range(4)]
    assert len({a.task_run_id for a in versions}) == 4 and len({a.flow_run_id for a in versions}) == 1


# -- the REST API: bad input is a 4xx, never a 5xx ---------------------------------------

@pytest.fixture(scope="module")
def api(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url + "/", timeout=30) as http:
        yield http


def test_api_paths_and_statuses(api: httpx.Client, key: str) -> None:
    created = api.post("artifacts/", json={"key": key, "type": "markdown", "data": "hi"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert {"id", "key", "type", "data", "description", "flow_run_id", "task_run_id", "created"} <= body.keys()
    assert api.get(f"artifacts/{body['id']}").json()["data"] == "hi"
    assert api.get(f"artifacts/{key}/latest").json()["id"] == body["id"]
    assert api.post("artifacts/count", json={"artifacts": {"key": {"any_": [key]}}}).json() == 1
    assert api.post("artifacts/latest/count", json={"artifacts": {"key": {"any_": [key]}}}).json() == 1
    assert api.post("artifacts/latest/filter", json={"artifacts": {"key": {"any_": [key]}}}).json()[0]["key"] == key
    assert api.patch(f"artifacts/{body['id']}", json={"data": "changed"}).status_code == 204
    assert api.post("artifacts/filter", json={"artifacts": {"key": {"any_": [key]}}}).json()[0]["data"] == "changed"
    assert api.delete(f"artifacts/{body['id']}").status_code == 204
    assert api.get(f"artifacts/{body['id']}").status_code == 404
    assert api.get(f"artifacts/{key}/latest").status_code == 404
    assert api.delete(f"artifacts/{body['id']}").status_code == 404
    assert api.post("artifacts/", json={"key": "Bad_Key", "data": 1}).status_code == 422
    assert api.post("artifacts/", json={"data": 1, "unknown": 2}).status_code == 422
    assert api.get("artifacts/not-a-uuid").status_code in (404, 422)
    assert api.post("records/batch", json={"batch_id": "abcdefgh", "records": [
        ["artifact", "00000000-0000-7000-8000-00000000000a", "Bad Key", None, None, "x", None, None, 1.0]]},
    ).status_code == 422
