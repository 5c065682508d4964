"""Isolation of identical concurrent calls in one process's threads.

(The same across processes: test_processes.py.)
"""

from __future__ import annotations

import logging
import threading

import pytest

from headwater import flow, task
from headwater.cache_policies import INPUTS
from headwater.engine.task_runners import ThreadPoolTaskRunner

WAITING = "Waiting for another run computing the same result"


class WaitingCounter(logging.Handler):
    """Counts the task runs that said they wait on a record's lock."""

    def __init__(self, expected: int) -> None:
        super().__init__()
        self.expected = expected
        self.count = 0
        self.all_waiting = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith(WAITING):
            self.count += 1
            if self.count >= self.expected:
                self.all_waiting.set()


@pytest.fixture
def waiting_counter():  # type: ignore[no-untyped-def]
    logger = logging.getLogger("headwater.task_runs")
    handler = WaitingCounter(expected=3)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


@pytest.mark.parametrize("isolation", ["SERIALIZABLE", "policy"])
def test_serializable_identical_calls_in_threads_compute_once(home, waiting_counter, isolation):
    """The first call holds its result back until the three others wait on the lock."""
    calls = []
    options = {"isolation_level": "SERIALIZABLE"} if isolation == "SERIALIZABLE" else {
        "cache_policy": INPUTS.configure(isolation_level="SERIALIZABLE")}

    @task(**({"cache_policy": INPUTS} | options))
    def expensive(x: int) -> int:
        calls.append(x)
        assert waiting_counter.all_waiting.wait(30), "the other calls did not wait on the lock"
        return x * 10

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=4))
    def pipeline() -> list[int]:
        return [f.result() for f in [expensive.submit(7) for _ in range(4)]]

    assert pipeline() == [70, 70, 70, 70]
    assert calls == [7]
    assert waiting_counter.count == 3


def test_by_default_identical_concurrent_calls_may_both_compute(home):
    both_inside = threading.Barrier(2, timeout=30)
    calls = []

    @task(cache_policy=INPUTS)
    def expensive(x: int) -> int:
        calls.append(x)
        both_inside.wait()  # passes only if the two calls run at the same time
        return x * 10

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=2))
    def pipeline() -> list[int]:
        return [f.result() for f in [expensive.submit(7), expensive.submit(7)]]

    assert pipeline() == [70, 70] and calls == [7, 7]


def test_the_lock_is_released_when_the_task_fails(home):
    attempts = []

    @task(cache_policy=INPUTS, isolation_level="SERIALIZABLE")
    def flaky(x: int) -> int:
        attempts.append(x)
        if len(attempts) == 1:
            raise RuntimeError("first call fails")
        return x

    assert flaky(1, return_state=True).is_failed()
    done = threading.Event()
    result = []
    thread = threading.Thread(target=lambda: (result.append(flaky(1)), done.set()))
    thread.start()
    assert done.wait(30), "the failed run kept the record's lock"
    thread.join()
    assert result == [1] and flaky(1, return_state=True).name == "Cached"


def test_identical_async_calls_on_one_event_loop_do_not_deadlock(home, capsys):
    import asyncio

    started = asyncio.Event()
    release = asyncio.Event()
    calls = []

    @task(cache_policy=INPUTS, isolation_level="SERIALIZABLE")
    async def expensive(x: int) -> int:
        calls.append(x)
        if len(calls) == 1:
            started.set()
            await asyncio.wait_for(release.wait(), 30)
        return x * 10

    async def main() -> list[int]:
        first = asyncio.ensure_future(expensive(3))
        await asyncio.wait_for(started.wait(), 30)
        second = await expensive(3)  # the first holds the lock on this thread
        release.set()
        return [await first, second]

    assert asyncio.run(main()) == [30, 30]
    assert calls == [3, 3]
    assert any("without isolation_level='SERIALIZABLE'" in line for line in capsys.readouterr().err.splitlines())
