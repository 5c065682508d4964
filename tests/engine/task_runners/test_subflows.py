"""Subflows running at once, each with its own task runner."""

from __future__ import annotations

import threading

from headwater import flow, task
from headwater.engine.context import flow_run_var


def test_two_subflows_run_at_once_from_submitted_tasks(history):
    both_inside = threading.Barrier(2, timeout=10)  # breaks (and fails the test) unless both are in at once
    runners = []

    @task
    def meet(label: str) -> str:
        both_inside.wait()
        return label

    @flow
    def child(label: str) -> list[str]:
        runners.append(flow_run_var.get().task_runner())
        return [f.result() for f in meet.map([f"{label}-1"])] + [label]

    @task
    def start_child(label: str) -> list[str]:
        return child(label)

    @flow
    def parent() -> list[list[str]]:
        futures = [start_child.submit(label) for label in ("a", "b")]
        return [f.result() for f in futures]

    assert parent() == [["a-1", "a"], ["b-1", "b"]]
    assert len(runners) == 2 and runners[0] is not runners[1]

    store = history.store
    runs = store.flow_runs.list_flow_runs(limit=10)
    assert sorted(r.flow_name for r in runs) == ["child", "child", "parent"]
    assert all(r.state.type == "COMPLETED" for r in runs)
    parent_run = next(r for r in runs if r.flow_name == "parent")
    placeholders = {t.id for t in store.history.read_task_runs(parent_run.id) if t.task_key.startswith("subflow:")}
    assert {r.parent_task_run_id for r in runs if r.flow_name == "child"} == placeholders
    for child_run in (r for r in runs if r.flow_name == "child"):
        assert [t.task_name for t in store.history.read_task_runs(child_run.id)] == ["meet"]
