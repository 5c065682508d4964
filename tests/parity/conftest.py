"""Runs the parity programs on headwater for tests/parity/test_parity.py.

pytest-xdist is not a dependency, so the programs (each a subprocess of ~0.3-1 s,
most of it interpreter start-up and imports) run in a small pool of threads started
once per session: every selected program is submitted when the first parity case
asks for its result, and each case then waits only for its own program. Cases keep
their ids and order; ``-k`` or a node id runs only what is selected.

The pool size is ``HEADWATER_PARITY_JOBS`` (default: the number of CPUs, at least 2).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from programs import PARITY_DIR, PROGRAM_ROOTS, expected_file, format_output
from rename import rename_imports

PROGRAM_TIMEOUT_S = 60.0

# The programs are not tests: one named like a test file must still not be collected.
collect_ignore_glob = [f"{root}/*" for root in PROGRAM_ROOTS]

# Settings that would point a program at a shared server, database or home.
_DROPPED_ENV = ("HEADWATER_API_URL", "HEADWATER_DATABASE_URL", "HEADWATER_HOME", "PYTHONPATH")


@dataclass(frozen=True)
class ProgramRun:
    """What one program did on headwater: stdout + ``[exit N]``, its stderr, where it ran."""

    output: str
    stderr: str
    workdir: Path


def _program_env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_") and k not in _DROPPED_ENV}
    env["HEADWATER_HOME"] = str(workdir / ".headwater")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_program(program: str, workdir: Path) -> ProgramRun:
    """Copy ``program`` (a path under tests/parity) renamed into ``workdir`` and run it there."""
    source = (PARITY_DIR / program).read_text(encoding="utf-8")
    script = workdir / Path(program).name
    script.write_text(rename_imports(source), encoding="utf-8")
    # Its own session, so a timeout also ends whatever the program started.
    process = subprocess.Popen(
        [sys.executable, script.name],
        cwd=workdir,
        env=_program_env(workdir),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    timed_out = False
    try:
        out, err = process.communicate(timeout=PROGRAM_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
    output = format_output(out.decode("utf-8", "replace"), process.returncode)
    if timed_out:
        output += f"[killed: still running after {PROGRAM_TIMEOUT_S:.0f} s]\n"
    return ProgramRun(output, err.decode("utf-8", "replace"), workdir)


class ParityRunner:
    """Runs programs in a thread pool; :meth:`result` waits for one of them."""

    def __init__(self, tmp_root: Path, jobs: int) -> None:
        self._tmp_root = tmp_root
        self._pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="parity")
        self._futures: dict[str, Future[ProgramRun]] = {}
        self._lock = threading.Lock()

    def submit(self, program: str) -> Future[ProgramRun]:
        """Start ``program`` unless it already was; its future."""
        with self._lock:
            if program not in self._futures:
                workdir = self._tmp_root / program.removesuffix(".py").replace("/", "__")
                workdir.mkdir(parents=True)
                self._futures[program] = self._pool.submit(run_program, program, workdir)
            return self._futures[program]

    def result(self, program: str) -> ProgramRun:
        """The run of ``program``, waiting for it."""
        return self.submit(program).result()

    def close(self) -> None:
        """Drop what has not started and wait for what has."""
        self._pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="session")
def parity_runner(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ParityRunner:
    """The session's runner, with every selected program that has an expected file already submitted."""
    jobs = int(os.environ.get("HEADWATER_PARITY_JOBS") or max(2, os.cpu_count() or 2))
    runner = ParityRunner(tmp_path_factory.mktemp("parity"), jobs)
    request.addfinalizer(runner.close)
    for item in request.session.items:
        program = getattr(item, "callspec", None) and item.callspec.params.get("program")
        if program and expected_file(program) is not None:
            runner.submit(program)
    return runner
