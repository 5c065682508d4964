"""Helpers shared by the benchmarks: fresh homes, child processes, one JSON line."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "count_rows",
    "emit",
    "headwater_env",
    "machine",
    "median_wall_time",
    "run_child",
]


def headwater_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a child: embedded history in `home`, INFO run logs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env.update(HEADWATER_HOME=str(home), HEADWATER_LOGGING_LEVEL="INFO", **extra)
    return env


def run_child(code: str, home: Path, log_file: Path, timeout: float = 1800) -> dict[str, Any]:
    """Run `code` in a fresh interpreter with its stderr (the run logs) sent to
    `log_file`; return the JSON object it prints as its last stdout line."""
    with log_file.open("wb") as log:
        proc = subprocess.run(
            [sys.executable, "-c", code],
            env=headwater_env(home),
            stdout=subprocess.PIPE,
            stderr=log,
            timeout=timeout,
            cwd=home,
        )
    if proc.returncode != 0:
        tail = log_file.read_text(errors="replace")[-3000:]
        raise SystemExit(f"benchmark child failed with exit {proc.returncode}; end of its log:\n{tail}")
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


def median_wall_time(argv: Sequence[str], env: dict[str, str], runs: int, cwd: Path) -> float:
    """Median wall time in seconds of `runs` runs of `argv`, each checked to succeed."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, timeout=300)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(argv)} failed with exit {proc.returncode}:\n{proc.stderr.decode()[-3000:]}")
    return statistics.median(times)


def count_rows(db: Path, table: str) -> int:
    """Rows in `table` of the SQLite file `db`, read with the stdlib driver."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import headwater

    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(terse=True),
        "headwater": getattr(headwater, "__version__", "unknown"),
    }


def emit(result: dict[str, Any]) -> None:
    """Print the benchmark's one JSON line."""
    print(json.dumps(result, sort_keys=False))
