"""Run history survives what real programs do: exit, crash, Ctrl-C, SIGTERM, bad homes."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from headwater import flow, task
from headwater.exceptions import ConfigurationError, StoreError


def run_script(tmp_path: Path, home: Path, body: str, **kwargs):
    script = tmp_path / "flow_script.py"
    script.write_text(textwrap.dedent(body))
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    return subprocess.Popen([sys.executable, str(script)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def query(home: Path, sql: str):
    with sqlite3.connect(home / "headwater.db") as conn:
        return conn.execute(sql).fetchall()


def wait_for_file(path: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def test_every_record_is_in_the_database_when_the_script_returns(tmp_path):
    home = tmp_path / "home"
    proc = run_script(tmp_path, home, """
        from headwater import flow, task

        @task
        def inc(x):
            return x + 1

        @flow
        def many():
            for i in range(1000):
                inc(i)

        many()
    """)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert query(home, "select count(*), min(state_type), max(state_type) from task_runs") == [(1000, "COMPLETED", "COMPLETED")]
    assert query(home, "select count(*) from states where task_run_id is not null") == [(3000,)]
    assert query(home, "select state_type from flow_runs") == [("COMPLETED",)]


def test_standalone_task_records_are_flushed_at_exit(tmp_path):
    home = tmp_path / "home"
    proc = run_script(tmp_path, home, """
        from headwater import task

        @task
        def inc(x):
            return x + 1

        for i in range(50):
            inc(i)
    """)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert query(home, "select count(*) from task_runs where state_type = 'COMPLETED'") == [(50,)]


def test_standalone_submissions_nobody_waited_for_finish_before_exit(tmp_path):
    home = tmp_path / "home"
    proc = run_script(tmp_path, home, """
        import time
        from headwater import task

        @task
        def slow(x):
            time.sleep(0.2)
            return x

        futures = [slow.submit(i) for i in range(3)]
    """)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert query(home, "select count(*) from task_runs where state_type = 'COMPLETED'") == [(3,)]


@pytest.mark.parametrize("sig,expected_message", [(signal.SIGINT, "interrupt"), (signal.SIGTERM, "termination"),
                                                  (signal.SIGHUP, "terminal was closed")])
def test_interrupted_script_records_a_crash_and_keeps_earlier_history(tmp_path, sig, expected_message):
    home = tmp_path / "home"
    ready = tmp_path / "ready"
    proc = run_script(tmp_path, home, f"""
        import pathlib, time
        from headwater import flow, task

        @task
        def quick(i):
            return i

        @task
        def slow():
            pathlib.Path({str(ready)!r}).write_text("x")
            time.sleep(60)

        @flow
        def pipeline():
            for i in range(20):
                quick(i)
            slow()

        pipeline()
    """)
    wait_for_file(ready)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode != 0
    assert "Traceback" not in err or "KeyboardInterrupt" in err or "TerminationSignal" in err
    ((state, message),) = query(home, "select state_type, state_message from flow_runs")
    assert state == "CRASHED" and expected_message in message
    assert query(home, "select count(*) from task_runs where state_type = 'COMPLETED'") == [(20,)]
    assert query(home, "select state_type from task_runs where task_name = 'slow'") == [("CRASHED",)]


def test_exception_in_a_task_keeps_the_history_before_it(tmp_path):
    home = tmp_path / "home"
    proc = run_script(tmp_path, home, """
        from headwater import flow, task

        @task
        def step(i):
            if i == 5:
                raise RuntimeError("step 5 broke")
            return i

        @flow
        def pipeline():
            for i in range(10):
                step(i)

        pipeline()
    """)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "RuntimeError: step 5 broke" in err
    assert query(home, "select state_type, count(*) from task_runs group by state_type order by 1") == [
        ("COMPLETED", 5), ("FAILED", 1)]
    assert query(home, "select state_type from flow_runs") == [("FAILED",)]


def test_corrupt_database_gets_one_clear_error_and_is_left_alone(home):
    home.mkdir(parents=True)
    db = home / "headwater.db"
    db.write_bytes(b"this is not a database" * 100)

    @flow
    def pipeline():
        return 1

    with pytest.raises(StoreError) as raised:
        pipeline()
    message = str(raised.value)
    assert str(db) in message and "\n" not in message
    assert db.read_bytes() == b"this is not a database" * 100


def test_home_that_is_a_file_gets_a_clear_error(home):
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("oops")

    @task
    def step():
        return 1

    with pytest.raises(ConfigurationError) as raised:
        step()
    assert str(home) in str(raised.value) and "not a directory" in str(raised.value)


@pytest.mark.parametrize("with_database", [False, True], ids=["empty-home", "home-with-database"])
def test_read_only_home_gets_a_clear_error(tmp_path, with_database):
    """A home that cannot be written. As root (CI), permissions do not stop writes, so the
    script runs in its own mount namespace with the home bind-mounted read-only."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "keep.txt").write_text("recorded before")
    script = tmp_path / "ro.py"
    script.write_text(textwrap.dedent("""
        from headwater import task

        @task
        def step():
            return 1

        step()
    """))
    env = {**os.environ, "HEADWATER_HOME": str(home)}
    if with_database:  # a database at the current schema: the embedded writer's fast path
        subprocess.run([sys.executable, str(script)], env=env, capture_output=True, timeout=60, check=True)
        before = query(home, "select count(*) from task_runs")
    if os.geteuid() == 0:
        command = ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$1" "$2"',
                   str(home), sys.executable, str(script)]
    else:
        home.chmod(0o500)
        command = [sys.executable, str(script)]
    try:
        proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    finally:
        home.chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    last_line = proc.stderr.strip().splitlines()[-1]
    assert last_line.startswith("headwater.exceptions.StoreError") and str(home) in last_line, proc.stderr
    assert (home / "keep.txt").read_text() == "recorded before"
    if with_database:
        assert query(home, "select count(*) from task_runs") == before
