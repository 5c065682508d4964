"""Background task runs in the store, on SQLite and PostgreSQL: queued runs are claimed
by one claimer each even when many claim at once (threads, and processes claiming
batches that carry the previous batch's ends, as task workers do); leases renewed by heartbeats hold;
an expired lease gives the run back with the attempt counted, and ends it Crashed once
its retries are used up; finishing records the final state waiters read."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from headwater.core import clock
from headwater.core.background_schemas import (
    BackgroundClaimRequest,
    BackgroundFinish,
    BackgroundRunCreate,
    BackgroundRunEnd,
    BackgroundStatusRequest,
    TaskWorkerHeartbeat,
)
from headwater.core.ids import new_id
from headwater.core.settings import load_settings
from headwater.operations import Operations
from headwater.store import Store


@pytest.fixture
def ops(store_url: str, tmp_path) -> Iterator[Operations]:  # type: ignore[no-untyped-def]
    with Operations(Store.open(store_url), load_settings(home=tmp_path), own_store=True) as operations:
        yield operations


def _queue(ops: Operations, key: str, n: int, retries: int = 0) -> list[str]:
    ids = [new_id() for _ in range(n)]
    for i in ids:
        ops.create_background_task_run(BackgroundRunCreate(id=i, name=f"run-{i[-4:]}", task_key=key,
                                                           task_name="t", retries=retries, storage="/tmp/x"))
    return ids


def test_concurrent_claimers_never_share_a_run(ops: Operations) -> None:
    ids = _queue(ops, "k", 60)
    _queue(ops, "other", 5)
    got: list[list[str]] = [[] for _ in range(4)]

    def claimer(slot: int) -> None:
        while True:
            claimed = ops.claim_background_task_runs(BackgroundClaimRequest(worker=f"w{slot}", task_keys=["k"],
                                                                            limit=7))
            if not claimed:
                return
            got[slot].extend(c.task_run_id for c in claimed)

    threads = [threading.Thread(target=claimer, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    everything = [i for part in got for i in part]
    assert sorted(everything) == sorted(ids)  # each once, and only the task asked for
    history = ops.read_task_run(ids[0])
    assert history.state is not None and history.state.type == "SCHEDULED"


def test_leases_hold_while_renewed_and_expired_runs_come_back_counted(ops: Operations) -> None:
    current = [1_000_000.0]

    def fake() -> float:
        return current[0]

    with clock.use_clock(fake):
        retried, single = _queue(ops, "k", 1, retries=1)[0], _queue(ops, "k", 1, retries=0)[0]
        first = ops.claim_background_task_runs(BackgroundClaimRequest(worker="dies", task_keys=["k"], limit=5,
                                                                      lease_seconds=10))
        assert sorted(c.task_run_id for c in first) == sorted([retried, single])
        assert all(c.run_count == 0 for c in first)
        current[0] += 8
        ops.task_worker_heartbeat(TaskWorkerHeartbeat(worker="dies", running=[retried, single], lease_seconds=10))
        current[0] += 8  # 16 s after the claim, 8 after the renewal: still held
        assert ops.claim_background_task_runs(BackgroundClaimRequest(worker="other", task_keys=["k"])) == []
        current[0] += 5  # the lease ran out: the worker died
        again = ops.claim_background_task_runs(BackgroundClaimRequest(worker="other", task_keys=["k"], limit=5))
        assert [(c.task_run_id, c.run_count) for c in again] == [(retried, 1)]
        found = {s.task_run_id: s for s in ops.read_background_task_runs(BackgroundStatusRequest(
            ids=[retried, single]))}
        assert found[single].status == "DONE" and found[single].state_type == "CRASHED"
        assert found[retried].status == "CLAIMED"
        states = [(s.type, s.name) for s in ops.read_task_run_states(retried)]
        assert states == [("SCHEDULED", "Scheduled"), ("CRASHED", "Crashed"), ("SCHEDULED", "AwaitingRetry")]
        assert ops.read_task_run(single).state.type == "CRASHED"  # type: ignore[union-attr]
        # the dead worker's late report changes nothing; the live one's is recorded
        late = BackgroundRunEnd(task_run_id=retried, state_type="COMPLETED", state_name="Completed")
        assert ops.finish_background_task_runs(BackgroundFinish(worker="dies", ended=[late])) == 0
        assert ops.finish_background_task_runs(BackgroundFinish(worker="other", ended=[late])) == 1
        done = ops.read_background_task_runs(BackgroundStatusRequest(ids=[retried]))[0]
        assert (done.status, done.state_type) == ("DONE", "COMPLETED")


def test_queuing_the_same_id_twice_keeps_one_run(ops: Operations) -> None:
    body = BackgroundRunCreate(id=new_id(), name="once", task_key="k", task_name="t", storage="/tmp/x")
    ops.create_background_task_run(body)
    ops.create_background_task_run(body)
    assert len(ops.claim_background_task_runs(BackgroundClaimRequest(worker="w", task_keys=["k"], limit=5))) == 1
    workers = ops.list_task_workers()
    assert workers == []
    ops.task_worker_heartbeat(TaskWorkerHeartbeat(worker="w", task_keys=["k"], limit=3))
    assert [(w.name, w.status, w.limit) for w in ops.list_task_workers()] == [("w", "ONLINE", 3)]
    runs, counts = ops.list_background_task_runs()
    assert [r.status for r in runs] == ["CLAIMED"] and counts == {"CLAIMED": 1}


def test_retention_deletes_ended_runs_queue_rows(ops: Operations) -> None:
    done, waiting = _queue(ops, "k", 2)
    claimed = ops.claim_background_task_runs(BackgroundClaimRequest(worker="w", task_keys=["k"], limit=1))
    assert [c.task_run_id for c in claimed] == [done]
    ops.finish_background_task_runs(BackgroundFinish(worker="w", ended=[
        BackgroundRunEnd(task_run_id=done, state_type="COMPLETED", state_name="Completed")]))
    ops.store.maintenance.delete_old_history(clock.now() + 1)
    left = {s.task_run_id: s.status for s in ops.read_background_task_runs(BackgroundStatusRequest(
        ids=[done, waiting]))}
    assert left == {waiting: "SCHEDULED"}


_CLAIMER = """
import json, sys
from headwater.core.background_schemas import BackgroundClaimRequest, BackgroundFinish, BackgroundRunEnd
from headwater.core.settings import load_settings
from headwater.operations import Operations
from headwater.store import Store

url, name, home = sys.argv[1:4]
got = []
with Operations(Store.open(url), load_settings(home=home), own_store=True) as ops:
    ended = []
    sys.stdout.write("ready\\n")
    sys.stdout.flush()
    sys.stdin.readline()  # all claimers start together
    while True:
        # each claim carries the ends of the previous batch, as a task worker's does
        claimed = ops.claim_background_task_runs(BackgroundClaimRequest(worker=name, task_keys=["k"], limit=7,
                                                                        ended=ended))
        if not claimed:
            break
        got.extend(c.task_run_id for c in claimed)
        ended = [BackgroundRunEnd(task_run_id=c.task_run_id, state_type="COMPLETED", state_name="Completed")
                 for c in claimed]
    print(json.dumps(got))
"""


def test_batch_claims_from_many_processes_take_each_run_once(store_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Operations(Store.open(store_url), load_settings(home=tmp_path), own_store=True) as ops:
        ids = _queue(ops, "k", 150)
        procs = [subprocess.Popen([sys.executable, "-c", _CLAIMER, store_url, f"w{i}", str(tmp_path)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) for i in range(4)]
        try:
            for proc in procs:
                assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            for proc in procs:
                assert proc.stdin is not None
                proc.stdin.write("go\n")
                proc.stdin.flush()
            outputs = [proc.communicate(timeout=120)[0] for proc in procs]
        finally:
            for proc in procs:
                proc.kill()
        assert all(proc.returncode == 0 for proc in procs)
        parts = [json.loads(out.strip().splitlines()[-1]) for out in outputs]
        everything = [i for part in parts for i in part]
        assert sorted(everything) == sorted(ids)  # each run once, none lost
        # the last batch of each claimer was never reported; everything before is DONE
        statuses = {s.task_run_id: s.status for s in ops.read_background_task_runs(BackgroundStatusRequest(ids=ids))}
        last_batches = {i for part in parts for i in part[-7:]}
        assert all(statuses[i] == "DONE" for i in ids if i not in last_batches)


def test_a_queued_run_wakes_one_waiting_claim_not_all(ops: Operations) -> None:
    # Four claims wait (their own poll far off, so only a wake-up can bring them back);
    # each queued run wakes one of them, which claims it: the others do not read the queue.
    looks = threading.Semaphore(0)
    looked = [0]
    has_work = ops.store.background.has_work

    def counting_has_work(task_keys: list[str], now: float) -> bool:
        looked[0] += 1
        looks.release()
        return has_work(task_keys, now)

    ops.store.background.has_work = counting_has_work  # type: ignore[method-assign]
    got: list[list[str]] = []
    done = threading.Semaphore(0)

    def claimer(slot: int) -> None:
        # Longer than a request may wait (2 s): on a loaded machine the test must not race the time-out.
        body = BackgroundClaimRequest.model_construct(**{**BackgroundClaimRequest(worker=f"w{slot}", task_keys=["k"],
                                                                                  limit=5).model_dump(),
                                                         "wait_seconds": 60})
        claimed = ops.claim_background_task_runs(body, poll_seconds=60)
        got.append([c.task_run_id for c in claimed])
        done.release()

    threads = [threading.Thread(target=claimer, args=(i,), daemon=True) for i in range(4)]
    for t in threads:
        t.start()
    for _ in threads:  # each claim registers before it looks: after its first look it waits
        assert looks.acquire(timeout=30)
    queued: list[str] = []
    for n in range(1, 5):
        queued += _queue(ops, "k", 1)
        assert done.acquire(timeout=30), "a queued run woke no waiting claim"
        assert looked[0] == 4 + n  # one claim looked again, not all the waiting ones
    for t in threads:
        t.join(timeout=30)
    assert sorted(i for ids in got for i in ids) == sorted(queued)
    assert all(len(ids) == 1 for ids in got)
