"""The engine's record batches, task runs, logs and the run graph, on both databases."""

from __future__ import annotations

import time
import uuid

import httpx

from headwater.orchestrator.http import encode_batch
from headwater.orchestrator.records import (
    FlowRunCreated,
    Heartbeat,
    LogEmitted,
    StateChanged,
    TaskInputsRecorded,
    TaskRunCreated,
)


def _uid() -> str:
    return str(uuid.uuid4())


def _flow_with_two_tasks() -> tuple[str, str, str, list]:
    now = time.time()
    flow_run, first, second = _uid(), _uid(), _uid()
    records = [
        FlowRunCreated(flow_run, "pipeline", "happy-run", {"n": 1}, ["t"], None, now),
        Heartbeat(flow_run, now),
        StateChanged(flow_run, False, "RUNNING", "Running", None, now, None),
        TaskRunCreated(first, flow_run, "extract-0", "extract", "extract-key", 0, [], now),
        StateChanged(first, True, "RUNNING", "Running", None, now, None),
        StateChanged(first, True, "COMPLETED", "Completed", None, now + 0.1, None),
        TaskRunCreated(second, flow_run, "load-0", "load", "load-key", 0, ["db"], now + 0.2),
        TaskInputsRecorded(second, (("rows", first, "data"),)),
        StateChanged(second, True, "FAILED", "Failed", "boom\x00", now + 0.3, {"retries": 0}),
        LogEmitted(flow_run, second, 40, "headwater.task", "load failed \x00", now + 0.3),
        StateChanged(flow_run, False, "FAILED", "Failed", "1 task failed", now + 0.4, None),
    ]
    return flow_run, first, second, records


def _post(api: httpx.Client, batch_id: str, records: list) -> httpx.Response:
    return api.post("/records/batch", content=encode_batch(batch_id, records),
                    headers={"content-type": "application/json"})


def test_a_batch_becomes_runs_states_logs_and_edges(api: httpx.Client) -> None:
    flow_run, first, second, records = _flow_with_two_tasks()
    reply = _post(api, "batch-0001", records)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"batch_id": "batch-0001", "records": len(records), "duplicate": False}
    run = api.get(f"/flow_runs/{flow_run}").json()
    assert run["state"]["type"] == "FAILED" and run["heartbeat"] is not None
    tasks = api.post("/task_runs/filter", json={"task_runs": {"flow_run_id": {"any_": [flow_run]}},
                                                "sort": "CREATED_ASC"}).json()
    assert [t["id"] for t in tasks] == [first, second]
    assert tasks[1]["upstream"] == [first]
    failed = api.post("/task_runs/filter", json={"task_runs": {"state": {"type": {"any_": ["FAILED"]}}}}).json()
    assert [t["id"] for t in failed] == [second]
    in_flow = api.post("/task_runs/count", json={"flows": {"name": {"any_": ["pipeline"]}}}).json()
    assert in_flow == 2
    graph = api.get(f"/flow_runs/{flow_run}/graph").json()
    assert [node["id"] for node in graph] == [first, second]
    assert graph[1]["upstream_dependencies"] == [
        {"input_type": "task_run", "id": first, "parameter": "rows", "kind": "data"}
    ]
    logs = api.post("/logs/filter", json={"logs": {"level": {"ge_": 40}}}).json()
    assert len(logs) == 1 and logs[0]["message"].startswith("load failed")
    assert api.get(f"/task_runs/{second}").json()["state"]["message"].startswith("boom")
    states = api.get("/task_run_states/", params={"task_run_id": first}).json()
    assert [s["type"] for s in states] == ["RUNNING", "COMPLETED"]


def test_a_resent_batch_is_written_once(api: httpx.Client) -> None:
    flow_run, _, _, records = _flow_with_two_tasks()
    assert _post(api, "batch-same", records).json()["duplicate"] is False
    assert _post(api, "batch-same", records).json()["duplicate"] is True
    logs = api.post("/logs/filter", json={"logs": {"flow_run_id": {"any_": [flow_run]}}}).json()
    assert len(logs) == 1
    states = api.get("/flow_run_states/", params={"flow_run_id": flow_run}).json()
    assert [s["type"] for s in states] == ["RUNNING", "FAILED"]


def test_bad_batches_are_422_naming_the_record(api: httpx.Client) -> None:
    bad_state = api.post("/records/batch", json={"batch_id": "batch-bad1", "records": [
        ["state", _uid(), True, "EXPLODED", "x", None, 1.0, None]]})
    assert bad_state.status_code == 422 and "records.0" in bad_state.json()["message"]
    unknown = api.post("/records/batch", json={"batch_id": "batch-bad2", "records": [["telepathy", 1]]})
    assert unknown.status_code == 422
    short_id = api.post("/records/batch", json={"batch_id": "x", "records": []})
    assert short_id.status_code == 422 and "batch_id" in short_id.json()["message"]


def test_logs_written_through_the_api_can_be_filtered(api: httpx.Client) -> None:
    run_id = _uid()
    lines = [{"name": "app", "level": level, "message": f"line {i}", "timestamp": f"2026-01-01T00:00:0{i}Z",
              "flow_run_id": run_id} for i, level in enumerate((10, 20, 30, 40))]
    assert api.post("/logs/", json=lines).json() == 4
    newest = api.post("/logs/filter", json={"logs": {"level": {"ge_": 20}}, "sort": "TIMESTAMP_DESC",
                                            "limit": 2}).json()
    assert [line["message"] for line in newest] == ["line 3", "line 2"]
    window = api.post("/logs/filter", json={"logs": {"timestamp": {"after_": "2026-01-01T00:00:01Z",
                                                                   "before_": "2026-01-01T00:00:02Z"}}}).json()
    assert [line["message"] for line in window] == ["line 1", "line 2"]


def test_log_lines_from_any_client_are_bounded_and_nul_is_stored_visibly(api: httpx.Client) -> None:
    flow_run_id, now = _uid(), time.time()
    huge = "x" * 3_000_000  # another client than headwater's engine, which would have cut it
    records = [
        FlowRunCreated(flow_run_id, "etl", "brave-otter", {}, [], None, now),
        LogEmitted(flow_run_id, None, 20, "client", huge, now),
        StateChanged(flow_run_id, False, "FAILED", "Failed", "nul \x00 here", now, None),
    ]
    response = api.post("/records/batch", content=encode_batch(_uid(), records),
                        headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    (log,) = api.post("/logs/filter", json={"logs": {"flow_run_id": {"any_": [flow_run_id]}}}).json()
    assert len(log["message"].encode()) <= 1_000_000 and "truncated" in log["message"]
    assert api.get(f"/flow_runs/{flow_run_id}").json()["state"]["message"] == "nul \\x00 here"
