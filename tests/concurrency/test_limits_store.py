"""The store's concurrency limits: the same tests on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from headwater.core import clock
from headwater.core.limits import ConcurrencyLimitError
from headwater.exceptions import ObjectNotFound
from headwater.store import Store

HOLDER = {"pid": 1, "host": "test"}


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    store = Store.open(store_url, busy_timeout_seconds=10)
    yield store
    store.close()


def lease(store: Store, names: list[str], slots: int = 1, seconds: float = 60.0) -> str | None:
    grant = store.limits.acquire_concurrency_slots(names, slots, lease_seconds=seconds, holder=HOLDER)
    return grant.lease_id if grant.granted else None


def wait_until(condition, timeout: float = 5.0) -> float:  # type: ignore[no-untyped-def]
    """Poll `condition` until true; return the seconds it took (fails after `timeout`)."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "condition not met in time"
        time.sleep(0.01)
    return time.monotonic() - start


def test_create_read_list_update_delete(store: Store) -> None:
    created = store.limits.create_concurrency_limit("github-api", 60, slot_decay_per_second=0.016)
    assert (created.name, created.kind, created.limit, created.slot_decay_per_second, created.active) == (
        "github-api", "global", 60, 0.016, True)
    store.limits.create_concurrency_limit("tag:db", 0)
    store.limits.create_concurrency_limit("database", 2, active=False)

    assert [i.name for i in store.limits.list_concurrency_limits()] == ["database", "github-api", "tag:db"]
    assert [i.tag for i in store.limits.list_concurrency_limits(kind="tag")] == ["db"]
    updated = store.limits.update_concurrency_limit("github-api", limit=30, active=False)
    assert (updated.limit, updated.slot_decay_per_second, updated.active) == (30, 0.016, False)
    assert updated.updated >= created.updated

    store.limits.delete_concurrency_limit("github-api")
    with pytest.raises(ObjectNotFound, match="no global concurrency limit 'github-api'.*headwater gcl ls"):
        store.limits.read_concurrency_limit("github-api")
    with pytest.raises(ObjectNotFound):
        store.limits.delete_concurrency_limit("github-api")
    with pytest.raises(ObjectNotFound, match="no tag concurrency limit 'nope'"):
        store.limits.update_concurrency_limit("tag:nope", limit=1)


@pytest.mark.parametrize(
    ("name", "limit", "decay", "message"),
    [
        ("x", 0, 0.0, "at least 1, not 0: a global limit of 0 would make every caller wait forever"),
        ("x", -3, 0.0, "at least 1, not -3"),
        ("tag:x", -1, 0.0, "tag concurrency limit 'x' must be at least 0"),
        ("x", 2, -0.5, "slot_decay_per_second .* must be a number >= 0"),
        ("x", 2, float("nan"), "slot_decay_per_second"),
        ("x", 2.5, 0.0, "must be a whole number of slots"),
        ("a/b", 1, 0.0, "contains '/'"),
        ("", 1, 0.0, "is empty"),
        (" padded", 1, 0.0, "leading/trailing spaces"),
        ("tab\there", 1, 0.0, "contains"),
        ("x" * 201, 1, 0.0, "characters long"),
    ],
)
def test_bad_limits_are_refused_and_nothing_is_created(
    store: Store, name: str, limit: int, decay: float, message: str
) -> None:
    with pytest.raises(ConcurrencyLimitError, match=message):
        store.limits.create_concurrency_limit(name, limit, slot_decay_per_second=decay)
    assert store.limits.list_concurrency_limits() == []


def test_a_duplicate_name_is_refused_and_the_first_kept(store: Store) -> None:
    store.limits.create_concurrency_limit("db", 2)
    with pytest.raises(ConcurrencyLimitError, match="already exists \\(limit 2\\).*gcl update db"):
        store.limits.create_concurrency_limit("db", 5)
    assert store.limits.read_concurrency_limit("db").limit == 2


def test_bad_updates_change_nothing(store: Store) -> None:
    store.limits.create_concurrency_limit("db", 2)
    with pytest.raises(ConcurrencyLimitError):
        store.limits.update_concurrency_limit("db", limit=0)
    with pytest.raises(ConcurrencyLimitError):
        store.limits.update_concurrency_limit("db", slot_decay_per_second=-1)
    info = store.limits.read_concurrency_limit("db")
    assert (info.limit, info.slot_decay_per_second) == (2, 0.0)


def test_leases_hold_slots_until_released(store: Store) -> None:
    store.limits.create_concurrency_limit("db", 3)
    first = lease(store, ["db"], 2)
    assert first is not None
    assert lease(store, ["db"], 2) is None  # 2 + 2 > 3
    second = lease(store, ["db"], 1)
    assert second is not None

    info = store.limits.read_concurrency_limit("db")
    assert info.leased_slots == 3 and info.slots_in_use == 3
    assert sorted(h.slots for h in info.holders) == [1, 2]
    assert info.holders[0].holder == HOLDER

    refused = store.limits.acquire_concurrency_slots(["db"], 1, lease_seconds=60, holder=HOLDER)
    assert not refused.granted and refused.blocking == {"db": (3.0, 3)} and refused.retry_after is None

    store.limits.release_concurrency_slots(first)
    store.limits.release_concurrency_slots(first)  # twice is harmless
    assert store.limits.read_concurrency_limit("db").leased_slots == 1
    assert lease(store, ["db"], 2) is not None


def test_several_limits_are_taken_all_or_none(store: Store) -> None:
    store.limits.create_concurrency_limit("a", 1)
    store.limits.create_concurrency_limit("b", 2)
    assert lease(store, ["a"]) is not None

    refused = store.limits.acquire_concurrency_slots(["a", "b"], 1, lease_seconds=60, holder=HOLDER)

    assert not refused.granted and set(refused.blocking) == {"a"}
    assert store.limits.read_concurrency_limit("b").slots_in_use == 0


def test_missing_and_inactive_limits_never_block(store: Store) -> None:
    store.limits.create_concurrency_limit("off", 1, active=False)
    assert lease(store, ["off"]) is None  # granted, but nothing to lease
    grant = store.limits.acquire_concurrency_slots(["off", "ghost"], 5, lease_seconds=60, holder=HOLDER)
    assert grant.granted and grant.lease_id is None and grant.missing == ["ghost"]
    assert store.limits.read_concurrency_limit("off").slots_in_use == 0


def test_strict_takes_nothing_when_a_limit_is_missing(store: Store) -> None:
    store.limits.create_concurrency_limit("db", 1)
    grant = store.limits.acquire_concurrency_slots(["db", "ghost"], 1, lease_seconds=60, holder=HOLDER, strict=True)
    assert not grant.granted and grant.missing == ["ghost"]
    assert store.limits.read_concurrency_limit("db").slots_in_use == 0


def test_impossible_requests_raise_at_once(store: Store) -> None:
    store.limits.create_concurrency_limit("db", 2)
    with pytest.raises(ConcurrencyLimitError, match="cannot take 3 slots of global concurrency limit 'db': its "
                                                    "limit is 2, so this would wait forever"):
        store.limits.acquire_concurrency_slots(["db"], 3, lease_seconds=60, holder=HOLDER)
    with pytest.raises(ConcurrencyLimitError, match="rate_limit\\(\\) needs slots that decay"):
        store.limits.acquire_concurrency_slots(["db"], 1, lease_seconds=None, holder=HOLDER)


def test_an_expired_lease_frees_its_slots_and_cannot_be_renewed(store: Store) -> None:
    store.limits.create_concurrency_limit("db", 1)
    short = lease(store, ["db"], seconds=0.2)
    assert short is not None
    assert lease(store, ["db"]) is None

    waited = wait_until(lambda: lease(store, ["db"], seconds=60) is not None)

    assert waited < 2
    assert store.limits.renew_concurrency_leases([short], 60) == [short]  # lapsed: not revived
    assert store.limits.read_concurrency_limit("db").leased_slots == 1


def test_renewing_keeps_a_lease_alive(store: Store) -> None:
    store.limits.create_concurrency_limit("db", 1)
    held = lease(store, ["db"], seconds=60)
    assert held is not None
    before = store.limits.read_concurrency_limit("db").holders[0].expires
    assert store.limits.renew_concurrency_leases([held], 120) == []
    assert store.limits.read_concurrency_limit("db").holders[0].expires > before


def test_rate_limit_slots_decay_back(store: Store) -> None:
    store.limits.create_concurrency_limit("api", 2, slot_decay_per_second=20.0)
    for _ in range(2):
        assert store.limits.acquire_concurrency_slots(["api"], 1, lease_seconds=None, holder=HOLDER).granted
    refused = store.limits.acquire_concurrency_slots(["api"], 1, lease_seconds=None, holder=HOLDER)
    assert not refused.granted
    assert refused.retry_after is not None and 0 < refused.retry_after <= 0.05 + 1e-6

    wait_until(lambda: store.limits.acquire_concurrency_slots(["api"], 1, lease_seconds=None, holder=HOLDER).granted)
    assert 0 <= store.limits.read_concurrency_limit("api").decaying_slots <= 2


def test_setting_decay_to_zero_frees_decaying_slots(store: Store) -> None:
    store.limits.create_concurrency_limit("api", 5, slot_decay_per_second=0.001)
    assert store.limits.acquire_concurrency_slots(["api"], 4, lease_seconds=None, holder=HOLDER).granted
    assert store.limits.read_concurrency_limit("api").decaying_slots == pytest.approx(4, abs=0.01)
    assert store.limits.update_concurrency_limit("api", slot_decay_per_second=0).decaying_slots == 0


def test_deleting_a_limit_removes_its_leases(store: Store) -> None:
    store.limits.create_concurrency_limit("db", 1)
    held = lease(store, ["db"])
    assert held is not None
    store.limits.delete_concurrency_limit("db")
    store.limits.create_concurrency_limit("db", 1)
    assert store.limits.read_concurrency_limit("db").slots_in_use == 0
    store.limits.release_concurrency_slots(held)  # a holder of the old limit lets go: harmless


def test_resetting_a_limit_releases_every_lease_on_it(store: Store) -> None:
    store.limits.create_concurrency_limit("db", 3)
    store.limits.create_concurrency_limit("api", 3)
    store.limits.create_concurrency_limit("other", 3)
    first, both = lease(store, ["db"]), lease(store, ["db", "api"])
    elsewhere = lease(store, ["other"])
    assert None not in (first, both, elsewhere)
    assert store.limits.read_concurrency_limit("db").slots_in_use == 2

    store.limits.reset_concurrency_limit("db")
    assert store.limits.read_concurrency_limit("db").slots_in_use == 0
    assert store.limits.read_concurrency_limit("api").slots_in_use == 0  # a lease is released whole
    assert store.limits.read_concurrency_limit("other").slots_in_use == 1
    assert lease(store, ["db"], slots=3) is not None  # every slot is free again
    assert first is not None
    store.limits.release_concurrency_slots(first)  # a holder letting go afterwards: harmless
    with pytest.raises(ObjectNotFound, match="no global concurrency limit 'nope'"):
        store.limits.reset_concurrency_limit("nope")


def test_threads_never_exceed_the_limit(store: Store) -> None:
    store.limits.create_concurrency_limit("db", 3)
    inside = 0
    peak = 0
    lock = threading.Lock()
    errors: list[BaseException] = []

    def worker() -> None:
        nonlocal inside, peak
        try:
            for _ in range(15):
                held = None
                while held is None:
                    held = lease(store, ["db"])
                with lock:
                    inside += 1
                    peak = max(peak, inside)
                with lock:
                    inside -= 1
                store.limits.release_concurrency_slots(held)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert 1 <= peak <= 3
    assert store.limits.read_concurrency_limit("db").slots_in_use == 0


def test_a_clock_behind_never_makes_counts_negative(sqlite_url: str) -> None:
    # On SQLite callers use their own clock; a caller whose clock is behind the last
    # writer's must neither undo decay nor see negative or growing counts.
    store = Store.open(sqlite_url)
    try:
        with clock.use_clock(lambda: 1_000.0):
            store.limits.create_concurrency_limit("api", 10, slot_decay_per_second=1.0)
            assert store.limits.acquire_concurrency_slots(["api"], 4, lease_seconds=None, holder=HOLDER).granted
        with clock.use_clock(lambda: 900.0):  # 100 s behind
            assert store.limits.read_concurrency_limit("api").decaying_slots == 4
            assert store.limits.acquire_concurrency_slots(["api"], 1, lease_seconds=None, holder=HOLDER).granted
            assert store.limits.read_concurrency_limit("api").decaying_slots == 5
        with clock.use_clock(lambda: 1_002.0):  # 2 s after the first writer's clock
            assert store.limits.read_concurrency_limit("api").decaying_slots == pytest.approx(3)
        with clock.use_clock(lambda: 5_000.0):
            assert store.limits.read_concurrency_limit("api").decaying_slots == 0
    finally:
        store.close()
