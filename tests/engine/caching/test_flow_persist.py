"""A flow's persist_result applies to tasks that set no caching options."""

from pathlib import Path

from headwater import flow, task


def test_flow_persist_result_persists_plain_tasks(history, home: Path):
    @task
    def plain(x: int) -> dict:
        return {"x": x}

    @flow(persist_result=True)
    def pipeline():
        return plain(1)

    assert pipeline() == {"x": 1}
    (task_run,) = history.store.read_task_runs(history.only_flow_run().id)
    details = task_run.state.details or {}
    assert details.get("storage_key"), details
    stored = list((home / "storage").rglob("*"))
    assert any(p.is_file() for p in stored), stored
