"""A flow run's recorded process, and ending the runs of dead processes (issue #19, item 1).

Real processes: a child that exits and is reaped, one killed and not yet reaped (a
zombie), this process with a wrong start time (a reused pid). The store's sweep runs
on SQLite and PostgreSQL; the embedded writer's twin (store/sqlite_recovery.py) on
SQLite through `SqliteSink`. Spill files round-trip every record type.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from store_testkit import flow_run_created, new_id, state, task_run

from headwater.orchestrator.records import (
    ArtifactCreated,
    ArtifactUpdated,
    AssetMaterialized,
    Heartbeat,
    RunProcess,
    TaskInputsRecorded,
)
from headwater.store import Store
from headwater.store.processes import is_alive, is_gone, parse_process, this_host, this_process
from headwater.store.spill import decode_record, encode_record, replay_spills, spill_records
from headwater.store.sqlite_sink import SqliteSink

NOW = 10_000.0


def _ended_child() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_this_process_is_alive_and_a_reaped_child_is_gone() -> None:
    me = this_process()
    host, pid, start = parse_process(me)  # type: ignore[misc]
    assert (host, pid) == (this_host(), os.getpid()) and start.isdigit()
    assert is_gone(me, this_host()) is False
    assert is_gone(f"{this_host()}:{_ended_child()}:1", this_host()) is True


def test_a_killed_child_not_yet_reaped_is_gone() -> None:
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    process = f"{this_host()}:{child.pid}:"
    assert is_gone(process, this_host()) is False
    os.kill(child.pid, signal.SIGKILL)
    try:
        # A zombie until reaped: its pid still answers kill(pid, 0).
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)
        assert is_gone(process, this_host()) is True
    finally:
        child.wait()


def test_a_reused_pid_is_told_by_its_start_time() -> None:
    host, pid, start = parse_process(this_process())  # type: ignore[misc]
    assert is_gone(f"{host}:{pid}:{int(start) + 1}", this_host()) is True


def test_another_hosts_process_cannot_be_checked_here() -> None:
    assert is_gone(f"elsewhere.example:{os.getpid()}:1", this_host()) is None


def test_provably_alive_needs_this_host_the_pid_and_its_start_time() -> None:
    host, pid, start = parse_process(this_process())  # type: ignore[misc]
    assert is_alive(this_process(), this_host()) is True
    assert is_alive(f"{host}:{pid}:{int(start) + 1}", this_host()) is False  # the pid, reused
    assert is_alive(f"{host}:{pid}:", this_host()) is False  # no start time recorded: no proof
    assert is_alive(f"{host}:{_ended_child()}:{start}", this_host()) is False
    assert is_alive(f"elsewhere.example:{pid}:{start}", this_host()) is False
    assert is_alive("not a process", this_host()) is False


def _running_run(store: Store, process: str | None, *, heartbeat: float = NOW, tasks: int = 2,
                 deployment: bool = False) -> str:
    run_id = new_id()
    records = [flow_run_created(run_id, created=NOW - 10), state(run_id, "PENDING", NOW - 9, task=False),
               state(run_id, "RUNNING", NOW - 8, task=False), Heartbeat(run_id, heartbeat)]
    if process is not None:
        records.append(RunProcess(run_id, process))
    finished = task_run(run_id, 0, NOW - 7)
    unfinished = task_run(run_id, 1, NOW - 6)[:3]  # created, Pending, Running
    records += finished + (unfinished if tasks > 1 else [])
    store.history.write(records)
    return run_id


def _states(store: Store, run_id: str) -> tuple[str | None, list[str | None]]:
    run = store.flow_runs.read_flow_run(run_id)
    tasks = store.history.read_task_runs(run_id)
    return run.state.type if run.state else None, sorted(t.state.type if t.state else None for t in tasks)


def test_the_store_ends_runs_of_dead_processes_and_leaves_the_rest(store_url: str) -> None:
    host = this_host()
    with Store.open(store_url) as store:
        dead = _running_run(store, f"{host}:{_ended_child()}:1")
        alive = _running_run(store, this_process())
        elsewhere_silent = _running_run(store, "elsewhere.example:42:7", heartbeat=NOW - 120)
        elsewhere_beating = _running_run(store, "elsewhere.example:42:7", heartbeat=NOW - 5)
        unknown = _running_run(store, None, heartbeat=NOW - 600)  # hand-driven, or older: the server's job
        crashed = store.maintenance.crash_dead_processes(NOW, 60.0)
        assert sorted(crashed) == sorted([dead, elsewhere_silent])
        assert _states(store, dead) == ("CRASHED", ["COMPLETED", "CRASHED"])
        assert _states(store, elsewhere_silent) == ("CRASHED", ["COMPLETED", "CRASHED"])
        for run_id in (alive, elsewhere_beating, unknown):
            assert _states(store, run_id) == ("RUNNING", ["COMPLETED", "RUNNING"])
        message = store.flow_runs.read_flow_run(dead).state.message  # type: ignore[union-attr]
        assert "ended without recording how the run ended" in (message or "")
        assert [s.type for s in store.history.read_states(dead)] == ["PENDING", "RUNNING", "CRASHED"]
        assert store.maintenance.crash_dead_processes(NOW, 60.0) == []  # once


def test_the_embedded_writer_ends_them_too_without_sqlalchemy(tmp_path: Path, sqlite_url: str) -> None:
    with Store.open(sqlite_url) as store:
        dead = _running_run(store, f"{this_host()}:{_ended_child()}:1")
        alive = _running_run(store, this_process())
    sink = SqliteSink.open(sqlite_url, 5.0)
    assert sink is not None
    try:
        sink.recover(sqlite_url, str(tmp_path / "home"), 60.0)
    finally:
        sink.close()
    with Store.open(sqlite_url) as store:
        assert _states(store, dead) == ("CRASHED", ["COMPLETED", "CRASHED"])
        assert _states(store, alive) == ("RUNNING", ["COMPLETED", "RUNNING"])


def test_spill_files_round_trip_every_record_and_are_written_once(tmp_path: Path, sqlite_url: str) -> None:
    run_id, task_id = new_id(), new_id()
    records = [
        flow_run_created(run_id, parameters={"x": [1, 2]}, tags=["a"]), state(run_id, "RUNNING", 101.0, task=False),
        *task_run(run_id, 0, 102.0, task_run_id=task_id), TaskInputsRecorded(task_id, (("x", new_id(), "data"),)),
        RunProcess(run_id, "h:1:2"), ArtifactCreated(new_id(), "k", "markdown", "d", {"v": 1}, run_id, task_id, 103.0),
        ArtifactUpdated(new_id(), [1], None, 104.0),
        AssetMaterialized(new_id(), "s3://b/k", {"p": 1}, None, [("s3://b/up", None)], "me", "succeeded", run_id,
                          task_id, 105.0),
        state(run_id, "COMPLETED", 106.0, task=False),
    ]
    assert [decode_record(encode_record(r)) for r in records] == records
    home = tmp_path / "home"
    spill_records(home, sqlite_url, records)
    spill_records(home, "sqlite:////elsewhere.db", records[:1])  # another database's: left alone
    with Store.open(sqlite_url) as store:
        written, files = replay_spills(home, sqlite_url, store.history.write)
        assert written == len(records) and len(files) == 1
        assert replay_spills(home, sqlite_url, store.history.write) == (0, [])
        run = store.flow_runs.read_flow_run(run_id)
        assert run.state is not None and run.state.type == "COMPLETED"
        assert len(store.history.read_task_runs(run_id)) == 1
    assert len(list((home / "spill").iterdir())) == 1


@pytest.mark.parametrize("dies", [True, False])
def test_a_spill_file_claimed_by_a_process_is_claimed_again_only_once_it_died(
        tmp_path: Path, sqlite_url: str, dies: bool) -> None:
    home = tmp_path / "home"
    run_id = new_id()
    path = spill_records(home, sqlite_url, [flow_run_created(run_id)])
    owner = f"{this_host()}:{_ended_child()}:1" if dies else this_process()
    path.rename(path.with_name(f"{path.name}.claimed-{owner.replace(':', '@')}"))
    with Store.open(sqlite_url) as store:
        written, _ = replay_spills(home, sqlite_url, store.history.write)
    assert written == (1 if dies else 0)
