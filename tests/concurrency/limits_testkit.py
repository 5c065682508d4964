"""Worker processes and checks shared by the concurrency tests (imported by conftest and tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

WORKERS = Path(__file__).with_name("limit_workers.py")


class Workers:
    """Worker processes (tests/concurrency/limit_workers.py) started together, killed at teardown."""

    def __init__(self, env: dict[str, str], tmp_path: Path) -> None:
        self.env = env
        self.tmp_path = tmp_path
        self.procs: list[subprocess.Popen[str]] = []
        self.outputs: list[Path] = []

    def start(self, mode: str, *args: object, output: bool = True) -> subprocess.Popen[str]:
        out = self.tmp_path / f"worker-{len(self.procs)}.json"
        argv = [sys.executable, str(WORKERS), mode, *map(str, args)] + ([str(out)] if output else [])
        proc = subprocess.Popen(argv, env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.procs.append(proc)
        self.outputs.append(out)
        return proc

    def expect_line(self, proc: subprocess.Popen[str], line: str) -> None:
        got = proc.stdout.readline().strip() if proc.stdout else ""
        if got != line:
            proc.kill()
            _, err = proc.communicate(timeout=10)
            raise AssertionError(f"worker said {got!r}, expected {line!r}; stderr:\n{err}")

    def go(self) -> None:
        """Wait until every worker is ready, then release them all at once."""
        for proc in self.procs:
            self.expect_line(proc, "ready")
        for proc in self.procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()

    def results(self, timeout: float = 120) -> list[Any]:
        """Wait for every worker to finish successfully; return what each recorded."""
        for proc in self.procs:
            _, err = proc.communicate(timeout=timeout)
            assert proc.returncode == 0, f"worker failed with exit {proc.returncode}:\n{err}"
        return [json.loads(path.read_text()) for path in self.outputs]

    def kill_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=10)


def worker_env(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env.update(HEADWATER_DATABASE_URL=database_url, HEADWATER_LOGGING_LEVEL="WARNING")
    return env



def max_overlap(windows: list[tuple[float, float]]) -> int:
    """The most windows open at one instant (a window ending as another begins does not overlap)."""
    events = sorted([(begin, 1) for begin, _ in windows] + [(end, -1) for _, end in windows],
                    key=lambda event: (event[0], event[1]))
    peak = current = 0
    for _, delta in events:
        current += delta
        peak = max(peak, current)
    return peak
