"""Limits hold across real, separate processes sharing one database."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

import pytest
from limits_testkit import max_overlap

from headwater.store import Store


def create(url: str, name: str, limit: int, **options: Any) -> None:
    store = Store.open(url)
    try:
        store.limits.create_concurrency_limit(name, limit, **options)
    finally:
        store.close()


def test_never_more_holders_than_the_limit(store_url: str, workers_for: Any) -> None:
    create(store_url, "database", 2)
    workers = workers_for(store_url)
    for _ in range(4):
        workers.start("hold", "database", 5, 0.02)
    workers.go()

    windows = [tuple(w) for result in workers.results() for w in result]

    assert len(windows) == 20
    assert max_overlap(windows) <= 2
    # Two at a time, 20 holds of 20 ms need at least 0.2 s from the first to the last.
    assert max(end for _, end in windows) - min(begin for begin, _ in windows) >= 20 * 0.02 / 2


@pytest.mark.timeout(120)
def test_a_rate_limit_of_10_per_second_paces_50_calls(sqlite_url: str, workers_for: Any) -> None:
    # A burst of 5, then 45 more at 10 per second: about 4.5 s, shared by two processes.
    create(sqlite_url, "api", 5, slot_decay_per_second=10.0)
    workers = workers_for(sqlite_url)
    workers.start("rate", "api", 25)
    workers.start("rate", "api", 25)
    workers.go()

    stamps = sorted(t for result in workers.results() for t in result)

    assert len(stamps) == 50
    assert 4.0 <= stamps[-1] - stamps[0] <= 5.5
    for first, t in enumerate(stamps):  # no window of 1 s holds more than the burst + 10
        within = sum(1 for later in stamps[first:] if later - t < 1.0)
        assert within <= 5 + 10 + 1


def test_slots_of_a_killed_holder_come_back_when_its_lease_expires(store_url: str, workers_for: Any) -> None:
    create(store_url, "database", 1)
    workers = workers_for(store_url)
    proc = workers.start("hold-forever", "database", 2.0, output=False)
    workers.expect_line(proc, "held")
    store = Store.open(store_url)
    try:
        assert store.limits.read_concurrency_limit("database").leased_slots == 1
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        killed = time.monotonic()
        holder = {"pid": 0, "host": "test"}
        while not store.limits.acquire_concurrency_slots(["database"], 1, lease_seconds=60, holder=holder).granted:
            assert time.monotonic() - killed < 5, "the killed holder's slot did not come back"
            time.sleep(0.05)
        assert time.monotonic() - killed <= 2.5  # within the 2 s lease (it was renewed at most 2/3 s before)
    finally:
        store.close()


def test_tag_limits_hold_across_processes(sqlite_url: str, workers_for: Any) -> None:
    create(sqlite_url, "tag:warehouse", 1)
    workers = workers_for(sqlite_url)
    workers.start("tagged-flow", "warehouse", 3, 0.05)
    workers.start("tagged-flow", "warehouse", 3, 0.05)
    workers.go()

    windows = [tuple(w) for result in workers.results() for w in result]

    assert len(windows) == 6
    assert max_overlap(windows) == 1
