"""Pausing, resuming and pause expiry in the store and operations, on SQLite and on a
real PostgreSQL: two resumes racing change the run once; an expired pause fails."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from headwater.core import clock
from headwater.core.api_schemas import FlowRunCreate, StateCreate
from headwater.core.flow_run_input_schemas import ResumeRequest
from headwater.core.settings import load_settings
from headwater.core.states import StateType
from headwater.operations import Operations
from headwater.store import Store


@pytest.fixture
def ops(store_url: str, tmp_path: Any) -> Iterator[Operations]:
    store = Store.open(store_url, busy_timeout_seconds=10)
    yield Operations(store, load_settings(home=str(tmp_path)), own_store=True)
    store.close()


def paused_run(ops: Operations, timeout: timedelta) -> str:
    run = ops.create_flow_run(FlowRunCreate(flow_name="pauses", state=StateCreate(type=StateType.RUNNING)))
    until = (datetime.now(timezone.utc) + timeout).isoformat()
    result = ops.set_flow_run_state(run.id, StateCreate(type=StateType.PAUSED, name="Paused",
                                                        details={"pause_key": "1", "pause_timeout": until}))
    assert result.status == "ACCEPT"
    return run.id


def test_two_resumes_racing_change_the_run_once(ops: Operations) -> None:
    run_id = paused_run(ops, timedelta(minutes=5))
    results: list[str] = []
    barrier = threading.Barrier(4)

    def resume() -> None:
        barrier.wait()
        results.append(ops.resume_flow_run(run_id, ResumeRequest()).status)

    threads = [threading.Thread(target=resume) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["ABORT", "ABORT", "ABORT", "ACCEPT"]
    assert [s.name for s in ops.read_flow_run_states(run_id)].count("Running") == 2  # before and after the pause


def test_an_expired_pause_is_failed_by_the_services(ops: Operations) -> None:
    expired = paused_run(ops, timedelta(seconds=-1))
    waiting = paused_run(ops, timedelta(minutes=5))
    assert ops.scheduler_pass(clock.now()) >= 1
    state = ops.read_flow_run(expired).state
    assert state is not None and (state.type, state.message) == ("FAILED", "The flow was paused and never resumed.")
    still = ops.read_flow_run(waiting).state
    assert still is not None and still.type == "PAUSED"


def test_a_bad_pause_detail_is_refused_naming_it(ops: Operations) -> None:
    from headwater.exceptions import ParameterValidationError

    run = ops.create_flow_run(FlowRunCreate(flow_name="pauses", state=StateCreate(type=StateType.RUNNING)))
    with pytest.raises(ParameterValidationError, match="state.details"):
        ops.set_flow_run_state(run.id, StateCreate(type=StateType.PAUSED, details={"pause_timeout": "soon"}))
    assert ops.read_flow_run(run.id).state.type == "RUNNING"  # type: ignore[union-attr]
