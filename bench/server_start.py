"""Server start-up: time from `headwater server start` to the first 200 of /api/health.

    python bench/server_start.py [--runs 5]

Measured on an empty $HEADWATER_HOME (the database is created and migrated) and on
an existing one (the database is already there), median of `--runs` runs each after
one untimed warm-up. Targets: <= 1.5 s empty, <= 1.0 s existing. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import emit, headwater_env, machine


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(port: int) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", "/api/health")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def time_to_healthy(home: Path) -> float:
    """Seconds from spawning `headwater server start` to a 200 from /api/health."""
    port = _free_port()
    exe = str(Path(sys.executable).with_name("headwater"))
    start = time.perf_counter()
    proc = subprocess.Popen([exe, "server", "start", "--port", str(port)], env=headwater_env(home),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while not _healthy(port):
            if proc.poll() is not None:
                raise SystemExit(f"server exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
            if time.perf_counter() - start > 60:
                raise SystemExit("server not healthy after 60 s")
            time.sleep(0.005)
        return time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        root = Path(tmp)
        time_to_healthy(root / "warm-up")  # bytecode caches in place, as for an installed package
        empty = []
        for i in range(args.runs):
            home = root / f"empty-{i}"
            empty.append(time_to_healthy(home))
            shutil.rmtree(home)
        existing_home = root / "existing"
        time_to_healthy(existing_home)
        existing = [time_to_healthy(existing_home) for _ in range(args.runs)]
    emit({
        "bench": "server_start",
        "runs": args.runs,
        "empty_db_s": round(statistics.median(empty), 3),
        "existing_db_s": round(statistics.median(existing), 3),
        "empty_db_range_s": [round(min(empty), 3), round(max(empty), 3)],
        "existing_db_range_s": [round(min(existing), 3), round(max(existing), 3)],
        "target_empty_s": 1.5,
        "target_existing_s": 1.0,
        **machine(),
    })


if __name__ == "__main__":
    main()
