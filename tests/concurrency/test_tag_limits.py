"""Tag concurrency limits on task runs: waiting, refusing, and staying cheap when unused."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import pytest

from headwater import flow, tags, task
from headwater.concurrency import limits
from headwater.orchestrator import get_orchestrator


def history() -> Any:
    orchestrator = get_orchestrator()
    assert orchestrator.flush(timeout=10)
    return orchestrator.store  # type: ignore[attr-defined]


def test_a_tag_limit_caps_task_runs_and_they_wait_visibly(home: Path) -> None:
    limits.create_limit("warehouse", 2, kind="tag")
    running = peak = entered = 0
    lock = threading.Lock()
    both_in = threading.Barrier(2, timeout=10)
    someone_waits = threading.Event()

    class SeeWaiting(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("waiting for"):
                someone_waits.set()

    handler = SeeWaiting()
    logging.getLogger("headwater.task_runs").addHandler(handler)

    @task(tags=["warehouse"])
    def load(i: int) -> int:
        nonlocal running, peak, entered
        with lock:
            running += 1
            peak = max(peak, running)
            order, entered = entered, entered + 1
        if order < 2:  # the first two in hold their slots until both are in and a third waits
            both_in.wait()
            assert someone_waits.wait(10)
        with lock:
            running -= 1
        return i

    @flow
    def pipeline() -> list[int]:
        return [f.result() for f in [load.submit(i) for i in range(6)]]

    try:
        assert pipeline() == list(range(6))
    finally:
        logging.getLogger("headwater.task_runs").removeHandler(handler)
    assert peak == 2
    store = history()
    run = store.flow_runs.list_flow_runs(limit=1)[0]
    waited = [t for t in store.history.read_task_runs(run.id)
              if "AwaitingConcurrencySlot" in [s.name for s in store.history.read_states(t.id)]]
    assert waited, "no task run recorded AwaitingConcurrencySlot"
    names = [s.name for s in store.history.read_states(waited[0].id)]
    assert names == ["Pending", "AwaitingConcurrencySlot", "Running", "Completed"]
    logs = [line.message for line in store.history.read_logs(task_run_id=waited[0].id)]
    assert logs.count("waiting for 1 slot of 'warehouse' (2/2 in use)") == 1
    assert limits.read_limit("warehouse", kind="tag").slots_in_use == 0


def test_a_tag_limit_of_zero_fails_the_task_clearly(home: Path) -> None:
    limits.create_limit("frozen", 0, kind="tag")
    calls = []

    @task(tags=["frozen"])
    def touch() -> None:
        calls.append(1)

    states: list[Any] = []

    @flow
    def pipeline() -> None:
        states.append(touch(return_state=True))

    pipeline()
    state = states[0]
    assert state.is_failed()
    assert calls == []
    assert state.message == (
        "Task run not started: tag 'frozen' has a concurrency limit of 0, so task runs tagged 'frozen' do not "
        "run. Let them run with `headwater concurrency-limit update frozen --limit N`, or delete the limit")


def test_tags_from_the_tags_context_are_limited_too(home: Path) -> None:
    limits.create_limit("nightly", 0, kind="tag")

    @task
    def touch() -> int:
        return 1

    states: list[Any] = []

    @flow
    def pipeline() -> None:
        with tags("nightly"):
            states.append(touch(return_state=True))

    pipeline()
    assert states[0].is_failed()


def test_an_inactive_tag_limit_lets_tasks_run(home: Path) -> None:
    limits.create_limit("frozen", 0, kind="tag")
    limits.update_limit("frozen", active=False, kind="tag")
    from headwater.engine import tag_limits

    tag_limits.forget_cached_limits()

    @task(tags=["frozen"])
    def touch() -> int:
        return 1

    assert touch() == 1


def test_tagged_tasks_without_tag_limits_do_not_ask_the_database_each_time(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits.create_limit("other", 1, kind="tag")
    orchestrator = get_orchestrator()
    lookups = []
    list_limits = orchestrator.list_concurrency_limits  # type: ignore[attr-defined]
    monkeypatch.setattr(orchestrator, "list_concurrency_limits",
                        lambda **kw: lookups.append(kw) or list_limits(**kw))
    monkeypatch.setattr(orchestrator, "acquire_concurrency_slots",
                        lambda *a, **kw: pytest.fail("no slot should be asked for"))

    @task(tags=["unlimited"])
    def touch(i: int) -> int:
        return i

    @flow
    def pipeline() -> int:
        return sum(touch(i) for i in range(200))

    assert pipeline() == sum(range(200))
    assert len(lookups) <= 1  # read once, cached for the rest


def test_the_tag_slot_is_held_while_the_task_runs(home: Path) -> None:
    limits.create_limit("db", 3, kind="tag")
    seen: list[Any] = []

    @task(tags=["db", "unrelated"])
    def inspect_slot() -> None:
        info = limits.read_limit("db", kind="tag")
        seen.append((info.leased_slots, info.holders[0].holder.get("run_name")))

    @flow
    def pipeline() -> None:
        inspect_slot()

    pipeline()
    assert seen[0][0] == 1 and seen[0][1].startswith("inspect_slot-")
    assert limits.read_limit("db", kind="tag").leased_slots == 0


def test_async_tasks_wait_for_tag_slots_without_blocking_the_event_loop(home: Path) -> None:
    """Async task runs share one event loop: a run waiting for a slot must yield to the
    runs that hold the slots, or nobody finishes."""
    import asyncio

    limits.create_limit("api", 1, kind="tag")
    active = peak = 0

    @task(tags=["api"])
    async def call(i: int) -> int:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.05)
        active -= 1
        return i

    @flow
    def pipeline() -> list[int]:
        return [f.result(timeout=30) for f in [call.submit(i) for i in range(4)]]

    assert pipeline() == [0, 1, 2, 3]
    assert peak == 1
