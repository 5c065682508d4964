"""Assets through the client on every transport: a real flow in its own process with
`@materialize` tasks, `asset_deps`, a plain task between two materializing ones and a
failing one, recorded through the background writer (into the embedded database or
POSTed to the server) with its lineage; then reads, filters and deletes through the
client, and the REST API's paths and statuses."""

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
from headwater.exceptions import ObjectNotFound


@pytest.fixture
def root() -> str:
    """A key prefix no other test uses (the server is shared)."""
    return f"s3://t{uuid.uuid4().hex[:10]}"


FLOW = textwrap.dedent('''
    from headwater import flow, task
    from headwater.assets import Asset, AssetProperties, add_asset_metadata, materialize

    ROOT = {root!r}
    raw = Asset(key=ROOT + "/raw.json", properties=AssetProperties(name="Raw", owners=["ingest"]))
    clean = Asset(key=ROOT + "/clean.parquet")
    report = Asset(key=ROOT + "/report.csv", properties=AssetProperties(description="Weekly <b>report</b>"))

    @materialize(clean, asset_deps=[raw], by="pandas")
    def make_clean():
        add_asset_metadata(clean, {{"rows": 3}})
        return [1, 2, 3]

    @task
    def double(rows):
        return [r * 2 for r in rows]

    @materialize(report)
    def make_report(rows):
        return sum(rows)

    @materialize(ROOT + "/broken")
    def broken():
        raise ValueError("no")

    @flow
    def pipeline():
        rows = make_clean()
        future = double.submit(rows)
        total = make_report(future)
        state = broken(return_state=True)
        return total, state.type.value

    print(pipeline())
''')


def _run(script: Path, transport_env: dict[str, str], home: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env["HEADWATER_HOME"] = str(home)
    env["HEADWATER_LOGGING_TO_CONSOLE"] = "false"
    env.update(transport_env)
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_flow_records_materializations_and_lineage(client: SyncPrefectClient, transport_env: dict[str, str],
                                                     root: str, tmp_path: Path) -> None:
    script = tmp_path / "flow.py"
    script.write_text(FLOW.format(root=root))
    assert _run(script, transport_env, tmp_path / "home").splitlines() == ["(12, 'FAILED')"]

    assets = client.read_assets(prefix=root)
    assert [a.key for a in assets] == [f"{root}/broken", f"{root}/clean.parquet", f"{root}/raw.json",
                                       f"{root}/report.csv"]
    assert client.count_assets(prefix=root) == 4 and client.count_assets(search=root.upper()) == 4
    by_key = {a.key: a for a in assets}
    assert by_key[f"{root}/raw.json"].properties == {"name": "Raw", "owners": ["ingest"]}
    assert by_key[f"{root}/raw.json"].last_materialization is None  # only referenced
    clean = by_key[f"{root}/clean.parquet"].last_materialization
    assert clean is not None
    assert (clean.status, clean.by, clean.metadata, clean.upstream) == (
        "succeeded", "pandas", {"rows": 3}, [f"{root}/raw.json"])
    assert clean.flow_run_id is not None and clean.task_run_id is not None
    report = by_key[f"{root}/report.csv"].last_materialization
    # the plain task between passes on the assets it received
    assert report is not None and report.upstream == [f"{root}/clean.parquet"] and report.by is None
    broken = by_key[f"{root}/broken"].last_materialization
    assert broken is not None and (broken.status, broken.upstream) == ("failed", [])

    one = client.read_asset(f"{root}/clean.parquet")
    assert (one.upstream, one.downstream) == ([f"{root}/raw.json"], [f"{root}/report.csv"])
    assert sorted(client.read_asset_lineage(f"{root}/report.csv")) == [
        (f"{root}/clean.parquet", f"{root}/report.csv"), (f"{root}/raw.json", f"{root}/clean.parquet")]
    in_run = client.read_asset_materializations(flow_run_id=clean.flow_run_id)
    assert sorted(m.asset_key for m in in_run) == [f"{root}/broken", f"{root}/clean.parquet", f"{root}/report.csv"]

    _run(script, transport_env, tmp_path / "home")  # a second run: a second materialization each
    assert len(client.read_asset_materializations(f"{root}/clean.parquet")) == 2

    client.delete_asset(f"{root}/clean.parquet")
    with pytest.raises(ObjectNotFound, match="clean.parquet"):
        client.read_asset(f"{root}/clean.parquet")
    with pytest.raises(ObjectNotFound):
        client.delete_asset(f"{root}/clean.parquet")
    assert client.read_asset(f"{root}/report.csv").upstream == []


# -- the REST API: bad input is a 4xx, never a 5xx ---------------------------------------

@pytest.fixture(scope="module")
def api(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url + "/", timeout=30) as http:
        yield http


def test_api_paths_and_statuses(api: httpx.Client, root: str) -> None:
    key = f"{root}/x.csv"
    run_id = str(uuid.uuid4())
    batch = {"batch_id": uuid.uuid4().hex, "records": [
        ["asset", str(uuid.uuid4()), key, {"name": "X"}, {"n": 1}, [[f"{root}/up", None]], "dbt", "succeeded",
         run_id, str(uuid.uuid4()), 100.0]]}
    assert api.post("records/batch", json=batch).status_code == 200
    assert api.post("assets/filter", json={"filter": {"key": {"prefix": [root]}}}).json()[0]["key"] == f"{root}/up"
    assert api.post("assets/count", json={"filter": {"key": {"any_": [key]}}}).json() == 1
    read = api.get("assets/key", params={"key": key}).json()
    assert (read["properties"], read["upstream"], read["last_materialization"]["by"]) == ({"name": "X"}, [f"{root}/up"],
                                                                                          "dbt")
    assert api.get("assets/key/lineage", params={"key": key}).json() == [[f"{root}/up", key]]
    found = api.post("assets/materializations/filter", json={"flow_run_id": run_id}).json()
    assert [m["asset_key"] for m in found] == [key]
    assert api.delete("assets/key", params={"key": key}).status_code == 204
    assert api.get("assets/key", params={"key": key}).status_code == 404
    assert api.delete("assets/key", params={"key": key}).status_code == 404
    assert api.get("assets/key/lineage", params={"key": key}).status_code == 404
    assert api.get("assets/key").status_code == 422
    assert api.get("assets/key", params={"key": "x" * 600}).status_code == 422
    assert api.post("assets/filter", json={"filter": {"key": {"prefix": ["a\x00"]}}}).status_code == 422
    assert api.post("assets/filter", json={"unknown": 1}).status_code == 422
    assert api.post("assets/materializations/filter", json={"flow_run_id": "not an id"}).status_code == 422
    bad_status = dict(batch, batch_id=uuid.uuid4().hex)
    bad_status["records"] = [[*batch["records"][0][:7], "maybe", *batch["records"][0][8:]]]
    assert api.post("records/batch", json=bad_status).status_code == 422
