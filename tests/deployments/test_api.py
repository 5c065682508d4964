"""The deployments API over HTTP: bad input is a 4xx naming the field, not a 500."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from headwater.core.settings import load_settings
from headwater.server import create_app


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    import uvicorn

    home = tmp_path_factory.mktemp("api-home")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(load_settings(home=Path(home)), services=False)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the test server did not start"
        time.sleep(0.02)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}/api", timeout=30) as client:
        yield client
    server.should_exit = True
    thread.join(30)


DEPLOYMENT = {"name": "api", "flow_name": "etl", "entrypoint": "flows.py:etl", "work_pool_name": "default",
              "parameter_schema": {"type": "object", "properties": {"n": {"type": "integer"}},
                                   "additionalProperties": False}}


def test_create_flow_run_refuses_bad_parameters_with_422_naming_the_field(api: httpx.Client) -> None:
    deployment = api.post("/deployments/", json=DEPLOYMENT).json()
    ok = api.post(f"/deployments/{deployment['id']}/create_flow_run", json={"parameters": {"n": 3}})
    assert ok.status_code == 201 and ok.json()["state"]["type"] == "SCHEDULED"
    bad = api.post(f"/deployments/{deployment['id']}/create_flow_run", json={"parameters": {"n": "x"}})
    assert bad.status_code == 422
    assert 'parameters.n: "x" is not of type "integer"' in bad.json()["detail"]
    unknown = api.post(f"/deployments/{deployment['id']}/create_flow_run", json={"parameters": {"m": 1}})
    assert unknown.status_code == 422 and "'m' was unexpected" in unknown.json()["detail"]


def test_schedules_and_references_are_checked(api: httpx.Client) -> None:
    bad_cron = api.post("/deployments/", json={**DEPLOYMENT, "schedules": [{"cron": "61 * * * *"}]})
    assert bad_cron.status_code == 422 and "body.schedules.0" in bad_cron.json()["message"]
    bad_zone = api.post("/deployments/", json={**DEPLOYMENT, "schedules": [{"cron": "0 * * * *",
                                                                            "timezone": "Mars/Olympus"}]})
    assert bad_zone.status_code == 422 and "unknown timezone 'Mars/Olympus'" in bad_zone.json()["message"]
    no_pool = api.post("/deployments/", json={**DEPLOYMENT, "work_pool_name": "gpu"})
    assert no_pool.status_code == 404 and "headwater work-pool create gpu" in no_pool.json()["detail"]
    assert api.get("/deployments/name/etl/nope").status_code == 404
    assert api.post("/workers/heartbeat", json={"name": "w", "work_pool_name": "gpu"}).status_code == 404


def test_projects_pools_and_workers(api: httpx.Client) -> None:
    assert api.post("/projects/", json={"name": "analytics"}).status_code == 201
    assert api.post("/projects/", json={"name": "analytics"}).status_code == 409
    assert "analytics" in [p["name"] for p in api.get("/projects/").json()]
    assert api.post("/work_pools/", json={"name": "small", "concurrency_limit": 2}).status_code == 201
    assert api.post("/work_pools/", json={"name": "small"}).status_code == 409
    beat = api.post("/workers/heartbeat", json={"name": "w1", "work_pool_name": "small", "pid": 1}).json()
    workers = api.get("/work_pools/small/workers").json()
    assert [(w["id"], w["status"]) for w in workers] == [(beat["worker_id"], "ONLINE")]
    assert api.get("/work_pools/small").json()["status"] == "READY"
    assert api.patch("/work_pools/small", json={"paused": True}).json()["status"] == "PAUSED"
