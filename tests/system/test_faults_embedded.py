"""The embedded default (`python flow.py`, no server) under faults (issue #19, items 1-4).

Real flow processes on a real SQLite file: killed with SIGKILL, `os._exit`, a
segfault or SIGHUP; a second process holding the file's write lock; the database on a
tiny full file system (a private mount namespace, as root). What must hold:

1. a run whose process died is found Crashed, with its unfinished task runs, by the
   next headwater process that opens the database (here the CLI), with no server;
2. a hard crash loses at most what was emitted in the last writer interval: the run
   itself is there even when its process died right after starting;
3. history that cannot be written is reported on stderr (how many records, where,
   why), the process exits 1, and the records are kept in a spill file that
   `headwater database recover` (or the next flow) writes in;
4. a flow starting while another program holds the write lock says so after about a
   second and runs anyway; its history is written once the lock is free.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from sqlite_holder import SqliteLockHolder
from support import wait_for

pytestmark = pytest.mark.timeout(180)

INTERVAL = 0.25  # HEADWATER_WRITER_FLUSH_INTERVAL_SECONDS, the default

FLOW = textwrap.dedent("""
    import ctypes, os, pathlib, sys, time
    from headwater import flow, task

    how, done_before = sys.argv[1], int(sys.argv[2])
    ready = pathlib.Path(sys.argv[3])
    pause = float(sys.argv[4])

    @task
    def quick(i):
        time.sleep(pause)
        return i

    @task
    def last():
        print("task", time.time(), flush=True)
        if how == "exit":
            os._exit(1)
        if how == "segfault":
            ctypes.string_at(0)
        ready.write_text("x")
        time.sleep(120)  # killed from outside

    @flow(name="doomed")
    def doomed():
        for i in range(done_before):
            quick(i)
            print("completed", i, time.time(), flush=True)
        last()

    doomed()
""")


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env.update(HEADWATER_HOME=str(home), HEADWATER_LOGGING_TO_CONSOLE="false", **extra)
    return env


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db, timeout=30)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _cli(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(Path(sys.executable).parent / "headwater"), *args], env=_env(home, **extra),
                          capture_output=True, text=True, timeout=120)


def _start(tmp_path: Path, home: Path, how: str, done_before: int,
           pause: float = 0.0) -> tuple[subprocess.Popen[str], Path]:
    script = tmp_path / "doomed.py"
    script.write_text(FLOW)
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, str(script), how, str(done_before), str(ready), str(pause)],
                            env=_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, ready


@pytest.mark.parametrize("how", ["SIGKILL", "exit", "segfault", "SIGHUP"])
def test_a_dead_embedded_run_is_found_crashed_by_the_next_process(tmp_path: Path, how: str) -> None:
    home = tmp_path / "home"
    proc, ready = _start(tmp_path, home, how, done_before=3)
    if how in ("SIGKILL", "SIGHUP"):
        wait_for(lambda: ready.exists() or proc.poll() is not None, 60, "the last task to start")
        db = home / "headwater.db"
        # The run is in history as Running, its first tasks Completed, before the process dies.
        wait_for(lambda: _query(db, "select state_type from flow_runs") == [("RUNNING",)] and _query(
            db, "select count(*) from task_runs where state_type = 'COMPLETED'") == [(3,)], 10, "the run Running")
        proc.send_signal(signal.SIGKILL if how == "SIGKILL" else signal.SIGHUP)
    proc.communicate(timeout=60)
    died = time.monotonic()
    assert proc.returncode != 0

    listed = _cli(home, "flow-run", "ls", "--output", "json")
    shown_after = time.monotonic() - died
    assert listed.returncode == 0, listed.stderr
    (run,) = json.loads(listed.stdout)
    assert run["state"]["type"] == "CRASHED", run
    db = home / "headwater.db"
    ((message,),) = _query(db, "select state_message from flow_runs")
    if how == "SIGHUP":  # the process ended it itself, as for SIGTERM
        assert "terminal was closed" in message, message
    else:
        assert f"process {proc.pid} on " in message and "marked Crashed" in message, message
    # Its unfinished task runs ended with it; the earlier ones kept their end (those that
    # ended within the last writer interval before a hard crash are Crashed, or absent).
    tasks = _query(db, "select task_name, state_type from task_runs order by created")
    if how in ("SIGKILL", "SIGHUP"):
        assert tasks == [("quick", "COMPLETED")] * 3 + [("last", "CRASHED")], tasks
    else:
        assert {state for _, state in tasks} <= {"COMPLETED", "CRASHED"}, tasks
    assert _query(db, "select type from states where flow_run_id is not null")[-1] == ("CRASHED",)
    print(f"FIGURE {how}: shown Crashed {shown_after:.2f} s after the process died (the CLI's whole run)")


def test_a_run_killed_right_after_start_is_in_history_and_crashed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc, _ = _start(tmp_path, home, "exit", done_before=0)
    proc.communicate(timeout=60)
    assert proc.returncode == 1
    listed = _cli(home, "flow-run", "ls", "--output", "json")
    assert listed.returncode == 0, listed.stderr
    (run,) = json.loads(listed.stdout)  # before: the whole run was absent
    assert run["state"]["type"] == "CRASHED" and run["flow_name"] == "doomed", run


def test_a_hard_crash_loses_at_most_the_last_writer_interval(tmp_path: Path, full_size: bool) -> None:
    """Each task prints when it ended; every task that ended more than one interval (plus
    the write's own time) before the crash is Completed in history. The flow lasts about
    3 s (30 s at full size): 600 tasks of 5 ms each."""
    home = tmp_path / "home"
    n = 6000 if full_size else 600
    proc, _ = _start(tmp_path, home, "exit", done_before=n, pause=0.005)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, err
    ended = {int(parts[1]): float(parts[2]) for parts in (line.split() for line in out.splitlines())
             if parts[0] == "completed"}
    crash = next(float(line.split()[1]) for line in out.splitlines() if line.startswith("task "))
    assert len(ended) == n
    assert _cli(home, "flow-run", "ls").returncode == 0  # the next process ends the run Crashed
    db = home / "headwater.db"
    rows = _query(db, "select dynamic_key, state_type from task_runs where task_name = 'quick'")
    completed = {key for key, state in rows if state == "COMPLETED"}
    missing = sorted(set(ended) - completed)
    lost_window = crash - min((ended[i] for i in missing), default=crash)
    assert all(crash - ended[i] <= INTERVAL + 0.5 for i in missing), (len(missing), lost_window)
    assert _query(db, "select state_type from flow_runs") == [("CRASHED",)]
    print(f"FIGURE hard crash: {len(missing)} of {n} ended task runs not Completed in history; the oldest "
          f"ended {lost_window * 1000:.0f} ms before the crash")


QUICK_FLOW = textwrap.dedent("""
    import pathlib, sys, time
    from headwater import flow, task

    started = pathlib.Path(sys.argv[1])

    @task
    def step(i):
        if i == 0:
            started.write_text("x")
        return i

    @flow(name="quick-flow")
    def quick_flow(n):
        return sum(step(i) for i in range(n))

    print(quick_flow(int(sys.argv[2])), flush=True)
""")


def _quick(tmp_path: Path, home: Path, n: int, **extra: str) -> tuple[subprocess.Popen[str], Path]:
    script = tmp_path / "quick.py"
    script.write_text(QUICK_FLOW)
    started = tmp_path / f"started-{time.monotonic_ns()}"
    proc = subprocess.Popen([sys.executable, str(script), str(started), str(n)], env=_env(home, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return proc, started


def _made_home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    proc, _ = _quick(tmp_path, home, 1)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err  # the database exists, at the current schema
    return home


def test_a_flow_starts_while_another_program_holds_the_lock_and_says_so(tmp_path: Path) -> None:
    home = _made_home(tmp_path)
    with SqliteLockHolder(home / "headwater.db") as holder:
        begun = time.monotonic()
        proc, started = _quick(tmp_path, home, 50, HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS="120")
        # The flow runs its tasks while the lock is held (before: it waited, silent).
        wait_for(lambda: started.exists() or proc.poll() is not None, 20, "the flow's first task")
        ran_after = time.monotonic() - begun
        assert proc.poll() is None, proc.communicate()
        holder.release()
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.strip() == str(sum(range(50)))
    assert "waiting for the history database" in err and str(home / "headwater.db") in err, err
    assert f"process {holder.pid} (" in err, err  # the holder, named from /proc/locks
    assert err.count("\n") == 1, err  # said once, nothing else
    db = home / "headwater.db"
    assert _query(db, "select count(*) from flow_runs where state_type = 'COMPLETED'") == [(2,)]
    assert _query(db, "select count(*) from task_runs where state_type = 'COMPLETED'") == [(51,)]
    print(f"FIGURE locked at start: first task ran {ran_after:.2f} s after the flow process started")


def test_history_locked_longer_than_the_flow_is_spilled_reported_and_recovered(tmp_path: Path) -> None:
    home = _made_home(tmp_path)
    db = home / "headwater.db"
    with SqliteLockHolder(db) as holder:
        proc, _ = _quick(tmp_path, home, 40, HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS="2")
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 1, (out, err)  # before: 0, and nothing said
        assert out.strip() == str(sum(range(40)))  # the flow itself ran
        lines = err.strip().splitlines()
        assert len(lines) == 2, err  # "waiting ..." at start, the report at the end
        report = lines[-1]
        count = int(re.search(r"headwater: (\d+) history record\(s\)", report).group(1))  # type: ignore[union-attr]
        assert count >= 40 * 3, report  # at least every task run's states
        assert str(db) in report and "locked" in report and f"process {holder.pid}" in report, report
        spill = Path(re.search(r"kept in (\S+);", report).group(1))  # type: ignore[union-attr]
        assert spill.parent == home / "spill" and spill.exists(), report
        assert "headwater database recover" in report
        holder.release()
    assert _query(db, "select count(*) from flow_runs") == [(1,)]  # only the first flow's, so far
    recovered = _cli(home, "database", "recover")
    assert recovered.returncode == 0, recovered.stderr
    assert f"Wrote {count} spilled history record(s) from 1 file(s)" in recovered.stdout, recovered.stdout
    assert not spill.exists() and not list((home / "spill").iterdir())
    assert _query(db, "select state_type from flow_runs where flow_name = 'quick-flow' order by created") == \
        [("COMPLETED",), ("COMPLETED",)]
    assert _query(db, "select count(*) from task_runs where state_type = 'COMPLETED'") == [(41,)]
    assert _query(db, "select count(*) from states where task_run_id is not null") == [(41 * 3,)]


def test_spilled_history_is_written_in_by_the_next_flow(tmp_path: Path) -> None:
    home = _made_home(tmp_path)
    with SqliteLockHolder(home / "headwater.db"):
        proc, _ = _quick(tmp_path, home, 5, HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS="1")
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 1, err
    assert len(list((home / "spill").iterdir())) == 1
    proc, _ = _quick(tmp_path, home, 5)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and err == "", err
    db = home / "headwater.db"
    assert _query(db, "select count(*) from flow_runs where state_type = 'COMPLETED'") == [(3,)]
    assert _query(db, "select count(*) from task_runs where state_type = 'COMPLETED'") == [(11,)]
    assert not list((home / "spill").iterdir())


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                    reason="mounting in a private namespace needs root and unshare (CI runs as root)")
def test_history_on_a_full_disk_is_spilled_and_recovered_when_there_is_room(tmp_path: Path) -> None:
    """The database on a 1 MiB tmpfs (HEADWATER_HOME elsewhere): a flow logging 4 MB fills
    it. Then, in the same namespace, the tmpfs grows and `database recover` writes the rest."""
    home, disk = tmp_path / "home", tmp_path / "disk"
    home.mkdir()
    disk.mkdir()
    script = tmp_path / "noisy.py"
    script.write_text(textwrap.dedent("""
        from headwater import flow, get_run_logger, task

        @task
        def noisy(i):
            get_run_logger().info("%d %s", i, "x" * 2000)

        @flow(name="noisy")
        def loud():
            for i in range(2000):
                noisy(i)

        loud()
    """))
    query = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); print(c.execute('select state_type, "
             "(select count(*) from task_runs), (select count(*) from logs where length(message) > 2000) "
             "from flow_runs').fetchall())")
    shell = textwrap.dedent("""
        set -u
        mount -t tmpfs -o size=1m headwater-faults "$DISK" || exit 97
        "$PY" "$SCRIPT" 2> "$OUT/flow.err"; echo "flow exit $?"
        mount -o remount,size=64m "$DISK" || exit 98
        "$HW" database recover
        "$PY" -c "$QUERY" "$DISK/headwater.db"
    """)
    env = _env(home, HEADWATER_DATABASE_URL=f"sqlite:///{disk / 'headwater.db'}",
               HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS="2")
    env.update(DISK=str(disk), PY=sys.executable, HW=str(Path(sys.executable).parent / "headwater"), SCRIPT=str(script), OUT=str(tmp_path), QUERY=query)
    proc = subprocess.run(["unshare", "-m", "sh", "-c", shell], env=env, capture_output=True, text=True,
                          timeout=150)
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    flow_err = (tmp_path / "flow.err").read_text()
    assert "flow exit 1" in proc.stdout, (proc.stdout, flow_err)
    report = flow_err.strip().splitlines()[-1]
    assert "history record(s) of this process could not be written" in report, flow_err
    assert str(disk / "headwater.db") in report and "full" in report, report
    assert f"kept in {home / 'spill'}" in report, report
    assert "Wrote " in proc.stdout and "spilled history record(s) from 1 file(s)" in proc.stdout, proc.stdout
    assert "[('COMPLETED', 2000, 2000)]" in proc.stdout, proc.stdout


def test_the_next_flow_process_ends_a_killed_run_before_its_own(tmp_path: Path) -> None:
    home = tmp_path / "home"
    proc, ready = _start(tmp_path, home, "SIGKILL", done_before=1)
    wait_for(lambda: ready.exists() or proc.poll() is not None, 60, "the last task to start")
    db = home / "headwater.db"
    wait_for(lambda: _query(db, "select count(*) from task_runs") == [(2,)], 10, "both task runs in history")
    proc.kill()
    proc.communicate(timeout=60)
    follower, _ = _quick(tmp_path, home, 3)
    _, err = follower.communicate(timeout=60)
    assert follower.returncode == 0 and err == "", err
    assert _query(db, "select flow_name, state_type from flow_runs order by created") == \
        [("doomed", "CRASHED"), ("quick-flow", "COMPLETED")]
    assert _query(db, "select task_name, state_type from task_runs where task_name != 'step' order by created") == \
        [("quick", "COMPLETED"), ("last", "CRASHED")]
