"""Flow-run endpoints, on SQLite and PostgreSQL: create, read, filter, states, delete."""

from __future__ import annotations

import uuid

import httpx
import pytest


def _create(api: httpx.Client, flow: str = "etl", **body: object) -> dict:
    response = api.post("/flow_runs/", json={"flow_name": flow, **body})
    assert response.status_code == 201, response.text
    return response.json()


def test_health_and_version(api: httpx.Client) -> None:
    assert api.get("/health").json() is True
    assert isinstance(api.get("/admin/version").json(), str)


def test_create_and_read_a_flow_run(api: httpx.Client) -> None:
    run = _create(api, parameters={"n": 3}, tags=["nightly"], name="first")
    assert run["state"]["type"] == "PENDING"
    assert run["flow_name"] == "etl" and run["name"] == "first"
    read = api.get(f"/flow_runs/{run['id']}").json()
    assert read["parameters"] == {"n": 3} and read["tags"] == ["nightly"]
    flow = api.get("/flows/name/etl").json()
    assert api.get(f"/flows/{flow['id']}").json()["name"] == "etl"
    by_flow_id = api.post("/flow_runs/", json={"flow_id": flow["id"]}).json()
    assert by_flow_id["flow_name"] == "etl"


def test_a_create_with_a_known_id_is_not_repeated(api: httpx.Client) -> None:
    run_id = str(uuid.uuid4())
    first = _create(api, id=run_id)
    again = _create(api, id=run_id, name="other")
    assert again["id"] == first["id"] and again["name"] == first["name"]
    assert api.post("/flow_runs/count", json={}).json() == 1


def test_unknown_ids_are_404(api: httpx.Client) -> None:
    missing = str(uuid.uuid4())
    for response in (
        api.get(f"/flow_runs/{missing}"),
        api.delete(f"/flow_runs/{missing}"),
        api.post(f"/flow_runs/{missing}/set_state", json={"state": {"type": "RUNNING"}}),
        api.get(f"/flow_runs/{missing}/graph"),
        api.get(f"/task_runs/{missing}"),
        api.get(f"/flows/{missing}"),
        api.post("/flow_runs/", json={"flow_id": missing}),
    ):
        assert response.status_code == 404, response.text
        assert missing in response.json()["detail"]
    assert api.get("/flow_runs/not-a-uuid").status_code == 422


def test_filter_paginates_and_sorts(api: httpx.Client) -> None:
    ids = [_create(api, flow="a" if i % 2 else "b", name=f"run-{i:02d}")["id"] for i in range(7)]
    newest_first = api.post("/flow_runs/filter", json={}).json()
    assert [r["id"] for r in newest_first] == ids[::-1]
    pages = [api.post("/flow_runs/filter", json={"sort": "NAME_ASC", "limit": 3, "offset": o}).json()
             for o in (0, 3, 6)]
    assert [r["name"] for page in pages for r in page] == [f"run-{i:02d}" for i in range(7)]
    only_a = api.post("/flow_runs/filter", json={"flows": {"name": {"any_": ["a"]}}}).json()
    assert {r["flow_name"] for r in only_a} == {"a"} and len(only_a) == 3
    assert api.post("/flow_runs/count", json={"flows": {"name": {"any_": ["b"]}}}).json() == 4
    liked = api.post("/flow_runs/filter", json={"flow_runs": {"name": {"like_": "RUN-0"}}}).json()
    assert len(liked) == 7
    some = api.post("/flow_runs/filter", json={"flow_runs": {"id": {"any_": ids[:2]}}}).json()
    assert {r["id"] for r in some} == set(ids[:2])


def test_filter_by_state_and_tags(api: httpx.Client) -> None:
    tagged = _create(api, tags=["x", "y"])
    _create(api, tags=["x"])
    api.post(f"/flow_runs/{tagged['id']}/set_state", json={"state": {"type": "RUNNING"}})
    both = api.post("/flow_runs/filter", json={"flow_runs": {"tags": {"all_": ["x", "y"]}}}).json()
    assert [r["id"] for r in both] == [tagged["id"]]
    running = api.post("/flow_runs/filter", json={"flow_runs": {"state": {"type": {"any_": ["RUNNING"]}}}}).json()
    assert [r["id"] for r in running] == [tagged["id"]]
    started = api.post("/flow_runs/filter", json={"flow_runs": {"start_time": {"is_null_": False}}}).json()
    assert [r["id"] for r in started] == [tagged["id"]]


def test_set_state_follows_the_transition_table(api: httpx.Client) -> None:
    run = _create(api)
    url = f"/flow_runs/{run['id']}/set_state"
    accepted = api.post(url, json={"state": {"type": "RUNNING"}})
    assert accepted.status_code == 201 and accepted.json()["status"] == "ACCEPT"
    refused = api.post(url, json={"state": {"type": "PENDING"}})
    assert refused.status_code == 409
    assert "RUNNING to PENDING" in refused.json()["detail"]
    assert api.get(f"/flow_runs/{run['id']}").json()["state"]["type"] == "RUNNING"
    done = api.post(url, json={"state": {"type": "COMPLETED", "message": "ok"}}).json()
    assert done["state"]["name"] == "Completed"
    forced = api.post(url, json={"state": {"type": "PENDING"}, "force": True})
    assert forced.status_code == 201
    read = api.get(f"/flow_runs/{run['id']}").json()
    assert read["run_count"] == 1 and read["start_time"] is not None
    states = api.get("/flow_run_states/", params={"flow_run_id": run["id"]}).json()
    assert [s["type"] for s in states] == ["PENDING", "RUNNING", "COMPLETED", "PENDING"]


def test_cancel_and_retry(api: httpx.Client) -> None:
    waiting = _create(api)
    assert api.post(f"/flow_runs/{waiting['id']}/cancel").json()["state"]["type"] == "CANCELLED"
    assert api.post(f"/flow_runs/{waiting['id']}/cancel").status_code == 409
    running = _create(api, state={"type": "RUNNING"})
    assert api.post(f"/flow_runs/{running['id']}/retry").status_code == 409
    assert api.post(f"/flow_runs/{running['id']}/cancel").json()["state"]["type"] == "CANCELLING"
    retried = api.post(f"/flow_runs/{waiting['id']}/retry").json()
    assert retried["state"] == {**retried["state"], "type": "SCHEDULED", "name": "AwaitingRetry"}


def test_delete_removes_the_run_and_its_logs(api: httpx.Client) -> None:
    run = _create(api)
    api.post("/logs/", json=[{"name": "x", "level": 20, "message": "hello", "timestamp": "2026-01-01T00:00:00Z",
                              "flow_run_id": run["id"]}])
    assert api.delete(f"/flow_runs/{run['id']}").status_code == 204
    assert api.get(f"/flow_runs/{run['id']}").status_code == 404
    assert api.post("/logs/filter", json={"logs": {"flow_run_id": {"any_": [run["id"]]}}}).json() == []


def test_scheduled_runs_keep_their_due_time(api: httpx.Client) -> None:
    run = _create(api, state={"type": "SCHEDULED", "details": {"scheduled_time": "2030-01-01T00:00:00Z"}})
    due = api.post("/flow_runs/filter", json={"flow_runs": {"expected_start_time": {"after_": "2029-12-31T00:00:00Z"}}})
    assert [r["id"] for r in due.json()] == [run["id"]]
    bad = api.post("/flow_runs/", json={"flow_name": "x", "state": {"type": "SCHEDULED",
                                                                     "details": {"scheduled_time": "soon"}}})
    assert bad.status_code == 422 and "scheduled_time" in bad.json()["detail"]


def test_lookup_by_prefix_and_name(api: httpx.Client) -> None:
    run = _create(api, name="unique-name")
    assert api.get("/flow_runs/lookup", params={"ref": run["id"][:13]}).json()["id"] == run["id"]
    assert api.get("/flow_runs/lookup", params={"ref": "unique-name"}).json()["id"] == run["id"]
    assert api.get("/flow_runs/lookup", params={"ref": "nothing-like-it"}).status_code == 404


@pytest.mark.parametrize(
    "body, field",
    [
        ({"flow_name": ""}, "flow_name"),
        ({"flow_name": "x", "tags": "a"}, "tags"),
        ({"flow_name": "x", "state": {"type": "DONE"}}, "type"),
        ({"flow_name": "x", "surprise": 1}, "surprise"),
        ({"flow_name": "x\u0000y"}, "flow_name"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(api: httpx.Client, body: dict, field: str) -> None:
    response = api.post("/flow_runs/", json=body)
    assert response.status_code == 422
    assert field in response.json()["message"]


def test_malformed_json_and_bad_filters_are_4xx(api: httpx.Client) -> None:
    response = api.post("/flow_runs/filter", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    too_many = api.post("/flow_runs/filter", json={"limit": 100000})
    assert too_many.status_code == 422 and "limit" in too_many.json()["message"]
    assert api.post("/flow_runs/filter", json={"sort": "SIDEWAYS"}).status_code == 422
    assert api.post("/flow_runs/filter", json={"flow_runs": {"name": {"anyy_": ["x"]}}}).status_code == 422
