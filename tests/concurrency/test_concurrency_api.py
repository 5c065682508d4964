"""`concurrency()` and `rate_limit()` in one process: sync and async, waits, errors."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from headwater.concurrency import (
    AcquireConcurrencySlotTimeoutError,
    ConcurrencyLimitError,
    ConcurrencySlotAcquisitionError,
    limits,
)
from headwater.concurrency import asyncio as async_concurrency
from headwater.concurrency.sync import concurrency, rate_limit
from headwater.engine.concurrency import renewer


class Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def logged(home: Path) -> Iterator[list[str]]:
    handler = Captured()
    logger = logging.getLogger("headwater.engine")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    yield handler.messages
    logger.removeHandler(handler)
    logger.setLevel(previous)


def in_use(name: str) -> float:
    return limits.read_limit(name).slots_in_use


def test_concurrency_holds_slots_inside_the_block_only(home: Path) -> None:
    limits.create_limit("database", 3)
    with concurrency("database", occupy=2):
        info = limits.read_limit("database")
        assert info.leased_slots == 2
        assert info.holders[0].holder["pid"] > 0
        assert len(renewer.held()) == 1
    assert in_use("database") == 0
    assert renewer.held() == []


def test_slots_are_released_when_the_block_raises(home: Path) -> None:
    limits.create_limit("database", 1)
    with pytest.raises(RuntimeError), concurrency("database"):
        raise RuntimeError("boom")
    assert in_use("database") == 0


def test_a_list_of_names_takes_from_all(home: Path) -> None:
    limits.create_limit("a", 2)
    limits.create_limit("b", 2)
    with concurrency(["a", "b"], occupy=2):
        assert (in_use("a"), in_use("b")) == (2, 2)


def test_timeout_raises_timeout_error_naming_the_limit(home: Path) -> None:
    limits.create_limit("database", 1)
    with concurrency("database"):
        start = time.monotonic()
        with pytest.raises(TimeoutError) as caught:
            with concurrency("database", timeout_seconds=0.2):
                pass
        assert 0.2 <= time.monotonic() - start < 2
    assert isinstance(caught.value, AcquireConcurrencySlotTimeoutError)
    assert str(caught.value) == "timed out after 0.2 s waiting for 1 slot of 'database' (1/1 in use)"


def test_waiting_is_logged_once(logged: list[str]) -> None:
    limits.create_limit("github-api", 2)
    with concurrency("github-api", occupy=2), pytest.raises(TimeoutError):
        with concurrency("github-api", timeout_seconds=0.3):
            pass
    assert logged.count("waiting for 1 slot of 'github-api' (2/2 in use)") == 1


def test_a_release_in_this_process_wakes_a_waiter_at_once(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # With polls up to 5 s apart, only the in-process wake-up can end the wait quickly.
    monkeypatch.setenv("HEADWATER_CONCURRENCY_POLL_MAX_SECONDS", "5")
    from headwater.core.settings import reset_settings
    from headwater.orchestrator import set_orchestrator, shutdown

    shutdown()
    reset_settings()
    set_orchestrator(None)
    limits.create_limit("database", 1)
    holding = threading.Event()
    release = threading.Event()
    released_at: list[float] = []

    def holder() -> None:
        with concurrency("database"):
            holding.set()
            release.wait(10)
            released_at.append(time.monotonic())

    thread = threading.Thread(target=holder)
    thread.start()
    assert holding.wait(10)
    timer = threading.Timer(1.5, release.set)  # by then the waiter polls about every 1.3 s
    timer.start()
    with concurrency("database", timeout_seconds=10):
        woke_at = time.monotonic()
    thread.join(10)
    assert woke_at - released_at[0] < 0.5


def test_rate_limit_paces_calls_by_decay(home: Path) -> None:
    limits.create_limit("api", 2, slot_decay_per_second=20)
    start = time.monotonic()
    for _ in range(6):
        rate_limit("api")
    elapsed = time.monotonic() - start
    assert 0.15 <= elapsed < 2  # 2 at once, then 4 at 20/s
    assert 0 < in_use("api") <= 2


def test_rate_limit_on_a_limit_without_decay_is_an_error(home: Path) -> None:
    limits.create_limit("database", 5)
    with pytest.raises(ConcurrencyLimitError, match="rate_limit\\(\\) needs slots that decay.*'database'"):
        rate_limit("database")


def test_occupy_above_the_limit_raises_at_once(home: Path) -> None:
    limits.create_limit("database", 2)
    start = time.monotonic()
    with pytest.raises(ConcurrencyLimitError, match="its limit is 2, so this would wait forever"):
        with concurrency("database", occupy=3):
            pass
    assert time.monotonic() - start < 2
    assert in_use("database") == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"occupy": 0}, "occupy must be a whole number of slots >= 1, not 0"),
        ({"occupy": -1}, "occupy must be"),
        ({"occupy": 1.5}, "occupy must be"),
        ({"timeout_seconds": -1}, "timeout_seconds must be a number >= 0"),
        ({"lease_duration": 0}, "lease_duration must be a number of seconds > 0"),
        ({"names": "bad/name"}, "contains '/'"),
        ({"names": ["ok", ""]}, "is empty"),
    ],
)
def test_bad_arguments_are_one_clear_error(home: Path, kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"names": "database", **kwargs}
    with pytest.raises(ConcurrencyLimitError, match=message):
        with concurrency(**arguments):  # type: ignore[arg-type]
            pass


@pytest.fixture
def heard(home: Path) -> Iterator[list[tuple[str, str, str]]]:
    """(logger name, level, message) of the records of `headwater.concurrency` and the run loggers."""
    records: list[tuple[str, str, str]] = []

    class Heard(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append((record.name, record.levelname, record.getMessage()))

    handler = Heard(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in ("headwater.concurrency", "headwater.flow_runs")]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield records
    for logger, level in zip(loggers, previous):
        logger.removeHandler(handler)
        logger.setLevel(level)


GHOST = "Concurrency limits ['ghost'] do not exist - skipping acquisition."


def test_an_unknown_name_warns_at_every_call_and_does_not_block(heard: list[tuple[str, str, str]]) -> None:
    for _ in range(3):
        with concurrency("ghost"):
            pass
    assert heard == [("headwater.concurrency", "WARNING", GHOST)] * 3


def test_rate_limit_on_an_unknown_name_warns_on_the_run_logger(heard: list[tuple[str, str, str]]) -> None:
    from headwater import flow

    @flow
    def loop() -> None:
        for _ in range(2):
            rate_limit("ghost")

    rate_limit("ghost")  # outside a run: only at DEBUG, as Prefect says nothing there
    loop()
    assert [entry for entry in heard if "ghost" in entry[2]] == [
        ("headwater.concurrency", "DEBUG", GHOST),
        ("headwater.flow_runs", "WARNING", GHOST),
        ("headwater.flow_runs", "WARNING", GHOST),
    ]


def test_only_the_missing_names_are_named(home: Path, heard: list[tuple[str, str, str]]) -> None:
    limits.create_limit("database", 2)
    with concurrency(["database", "ghost", "phantom"]):
        assert in_use("database") == 1
    assert heard == [("headwater.concurrency", "WARNING",
                      "Concurrency limits ['ghost', 'phantom'] do not exist - skipping acquisition.")]


def test_strict_raises_for_an_unknown_name_and_takes_nothing(home: Path) -> None:
    limits.create_limit("database", 1)
    with pytest.raises(ConcurrencySlotAcquisitionError, match="'ghost'.*strict=True"):
        with concurrency(["database", "ghost"], strict=True):
            pass
    with pytest.raises(ConcurrencySlotAcquisitionError):
        rate_limit("ghost", strict=True)
    assert in_use("database") == 0


def test_an_inactive_limit_never_blocks(home: Path) -> None:
    limits.create_limit("database", 1, active=False)
    with concurrency("database"), concurrency("database", timeout_seconds=0):
        pass


def test_async_concurrency_waits_without_blocking_the_loop(home: Path) -> None:
    limits.create_limit("database", 1)
    order: list[str] = []

    async def holder(entered: asyncio.Event) -> None:
        async with async_concurrency.concurrency("database"):
            entered.set()
            order.append("holder in")
            await asyncio.sleep(0.2)
            order.append("holder out")

    async def waiter() -> None:
        async with async_concurrency.concurrency("database", timeout_seconds=10):
            order.append("waiter in")

    async def main() -> None:
        entered = asyncio.Event()
        held = asyncio.ensure_future(holder(entered))
        await entered.wait()
        await asyncio.gather(waiter(), held)

    asyncio.run(main())
    assert order == ["holder in", "holder out", "waiter in"]
    assert in_use("database") == 0


def test_async_rate_limit_and_timeout(home: Path) -> None:
    limits.create_limit("api", 1, slot_decay_per_second=0.01)

    async def main() -> None:
        await async_concurrency.rate_limit("api")
        with pytest.raises(TimeoutError, match="waiting for 1 slot of 'api' \\(1/1 in use\\)"):
            await async_concurrency.rate_limit("api", timeout_seconds=0.1)

    asyncio.run(main())


def test_a_held_lease_is_renewed_beyond_its_length(home: Path) -> None:
    limits.create_limit("database", 1)
    with concurrency("database", lease_duration=0.3):
        taken = time.monotonic()
        first_expiry = limits.read_limit("database").holders[0].expires
        while limits.read_limit("database").holders[0].expires == first_expiry:
            assert time.monotonic() - taken < 3, "the lease was not renewed"
            time.sleep(0.02)
        threading.Event().wait(max(0.0, 0.6 - (time.monotonic() - taken)))  # twice the lease: time must pass
        with pytest.raises(TimeoutError):
            with concurrency("database", timeout_seconds=0):
                pass
    assert renewer.held() == []


def test_a_lease_holder_names_who_holds_the_slots(home: Path) -> None:
    import uuid

    from headwater.client.schemas.objects import ConcurrencyLeaseHolder

    limits.create_limit("holder-db", 2)
    task_run_id = uuid.uuid4()
    with concurrency("holder-db", holder=ConcurrencyLeaseHolder(type="task_run", id=task_run_id)):
        (held,) = limits.read_limit("holder-db").holders
        assert (held.holder["type"], held.holder["id"]) == ("task_run", str(task_run_id))
        assert held.holder["pid"] > 0

    async def held_async() -> dict[str, object]:
        async with async_concurrency.concurrency("holder-db", holder={"type": "deployment", "id": str(task_run_id)}):
            return dict(limits.read_limit("holder-db").holders[0].holder)

    assert asyncio.run(held_async())["type"] == "deployment"
    with pytest.raises(ConcurrencyLimitError, match="invalid holder"):
        with concurrency("holder-db", holder={"type": "someone", "id": "x"}):
            pass
    assert in_use("holder-db") == 0
