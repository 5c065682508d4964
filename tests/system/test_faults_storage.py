"""Result storage that cannot be written (issue #10): full, or read-only.

Tasks with `persist_result=True` fail with a message naming the storage path and the
cause, the flow run ends Failed (not Crashed), and its history is complete: every
task run has its final state. The flow runs in its own process, in a private mount
namespace (`unshare -m`) where the result storage is a tiny tmpfs, or a directory
bind-mounted read-only: as root (CI) permissions alone do not stop a write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from headwater.store import Store

pytestmark = [
    pytest.mark.timeout(120),
    pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                       reason="mounting in a private namespace needs root and unshare (CI runs as root)"),
]

FLOW = textwrap.dedent("""
    import os, sys
    from headwater import flow, task

    @task
    def prepare(n):
        return list(range(n))

    @task(persist_result=True)
    def produce(i):
        return os.urandom(24_000)  # random: nothing on the way compresses it

    @flow(name="storage-flow")
    def pipeline(n):
        items = prepare(n)
        futures = produce.map(items)
        return sum(len(f.result()) for f in futures)

    pipeline(int(sys.argv[1]))
""")

MOUNTS = {
    # tmpfs of 96 KiB: a few 24 kB results fit, then the device is full.
    "full": 'mount -t tmpfs -o size=96k headwater-faults "$0"',
    "read-only": 'mount --bind -o ro "$0" "$0"',
}
CAUSES = {"full": "No space left on device", "read-only": "Read-only file system"}


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_unwritable_result_storage_fails_the_tasks_and_the_run_with_a_clear_message(
        tmp_path: Path, fault: str, full_size: bool) -> None:
    n = 200 if full_size else 12
    home, storage = tmp_path / "home", tmp_path / "results"
    home.mkdir()
    storage.mkdir()
    script = tmp_path / "flow.py"
    script.write_text(FLOW)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env.update(HEADWATER_HOME=str(home), HEADWATER_RESULTS_STORAGE=str(storage), HEADWATER_LOGGING_TO_CONSOLE="false")
    command = ["unshare", "-m", "sh", "-c", f'{MOUNTS[fault]} && exec "$1" "$2" "$3"',
               str(storage), sys.executable, str(script), str(n)]

    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=100)

    assert proc.returncode == 1, proc.stderr
    with Store.open(f"sqlite:///{home / 'headwater.db'}") as store:
        (run,) = store.flow_runs.list_flow_runs()
        tasks = store.history.read_task_runs(run.id)
        states = [s.type for s in store.history.read_states(run.id)]
    assert run.state is not None and run.state.type == "FAILED", run.state
    assert states == ["PENDING", "RUNNING", "FAILED"]
    produced = [t for t in tasks if t.task_name == "produce"]
    assert len(produced) == n and len(tasks) == n + 1  # every task run is recorded ...
    finals = {t.state.type for t in tasks if t.state is not None}
    assert len([t for t in tasks if t.state is not None]) == n + 1 and finals <= {"COMPLETED", "FAILED"}  # ... ended
    failed = [t for t in produced if t.state is not None and t.state.type == "FAILED"]
    assert failed and (fault == "full" or len(failed) == n)
    for task_run in failed:
        message = task_run.state.message or ""  # type: ignore[union-attr]
        assert "could not persist its result" in message and str(storage) in message, message
        assert CAUSES[fault] in message, message
    # The flow's own failure says the same thing, and nothing is Crashed.
    assert CAUSES[fault] in (run.state.message or "") and str(storage) in (run.state.message or ""), run.state
    assert "CRASHED" not in proc.stderr
