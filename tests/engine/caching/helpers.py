"""Shared helpers for the caching tests: console log lines and child processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent / "scripts"
LINE = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} \| (?P<level>[A-Z]+) *\| (?P<who>.+?) - (?P<message>.*)$", re.MULTILINE)
# Children import the job as a module (not as __main__) so that its tasks have the
# same task key in every process, the test's own included.
JOB = [sys.executable, "-c", "import cached_job; cached_job.main()"]


def log_lines(err: str, level: str | None = None) -> list[str]:
    """The messages of the console's run log lines (at `level`, if given)."""
    return [m["message"] for m in LINE.finditer(err) if level is None or m["level"] == level]


def child_env(home: Path, calls: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env.update(HEADWATER_HOME=str(home), HEADWATER_LOGGING_LEVEL="INFO", CALLS_FILE=str(calls), **extra)
    return env


def start_job(home: Path, calls: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    """Start `cached_job.main()` with `args` in a new process (stdout and stderr piped)."""
    return subprocess.Popen([*JOB, *args], env=child_env(home, calls, **extra), cwd=SCRIPTS, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_job(home: Path, calls: Path, *args: str, **extra: str) -> tuple[Any, str]:
    """Run the job to its end in a new process; return its result and its run log (stderr)."""
    proc = subprocess.run([*JOB, *args], env=child_env(home, calls, **extra), cwd=SCRIPTS, text=True,
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return json.loads(proc.stdout.strip().splitlines()[-1])["result"], proc.stderr


def call_count(calls: Path) -> int:
    return len(calls.read_text().splitlines()) if calls.exists() else 0
