"""Server start-up: time from `headwater server start` to the first 200 of /api/health.

    python bench/server_start.py [--runs 5]

Measured on an empty $HEADWATER_HOME (the database is created and migrated) and on
an existing one (the database is already there), median of `--runs` runs each after
one untimed warm-up. Targets: <= 1.5 s empty, <= 1.0 s existing. Prints one JSON line.

Also, on the existing database: the CPU seconds the server process had used when
/api/health first answered (`existing_db_cpu_s`, Linux: from /proc; less sensitive
to a loaded machine than wall time), and how long the first request to a resource
route took right after (`first_api_ms`, `POST /api/flow_runs/filter`: it includes
building that route's router when routers are built on first use).
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import json
import os
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


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (None where /proc is absent)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _first_api_ms(port: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        start = time.perf_counter()
        conn.request("POST", "/api/flow_runs/filter", body=json.dumps({"limit": 1}),
                     headers={"content-type": "application/json"})
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"POST /api/flow_runs/filter answered {response.status}")
        return (time.perf_counter() - start) * 1000
    finally:
        conn.close()


def time_to_healthy(home: Path, details: dict[str, list[float]] | None = None) -> float:
    """Seconds from spawning `headwater server start` to a 200 from /api/health.

    With `details`, also append the server's CPU seconds at that moment (`cpu_s`) and
    the time of a first request to a resource route (`first_api_ms`)."""
    port = _free_port()
    exe = str(Path(sys.executable).with_name("headwater"))
    start = time.perf_counter()
    env = headwater_env(home)
    # The warm-up run leaves bytecode caches, as an installed package has them; a
    # PYTHONDONTWRITEBYTECODE inherited from the shell would make every start compile.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.Popen([exe, "server", "start", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while not _healthy(port):
            if proc.poll() is not None:
                raise SystemExit(f"server exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}")
            if time.perf_counter() - start > 60:
                raise SystemExit("server not healthy after 60 s")
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        if details is not None:
            cpu = _cpu_seconds(proc.pid)
            if cpu is not None:
                details.setdefault("cpu_s", []).append(cpu)
            details.setdefault("first_api_ms", []).append(_first_api_ms(port))
        return elapsed
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
        details: dict[str, list[float]] = {}
        existing = [time_to_healthy(existing_home, details) for _ in range(args.runs)]
    cpu = details.get("cpu_s", [])
    emit({
        "bench": "server_start",
        "runs": args.runs,
        "empty_db_s": round(statistics.median(empty), 3),
        "existing_db_s": round(statistics.median(existing), 3),
        "empty_db_range_s": [round(min(empty), 3), round(max(empty), 3)],
        "existing_db_range_s": [round(min(existing), 3), round(max(existing), 3)],
        "existing_db_cpu_s": round(statistics.median(cpu), 3) if cpu else None,
        "first_api_ms": round(statistics.median(details["first_api_ms"]), 1),
        "target_empty_s": 1.5,
        "target_existing_s": 1.0,
        **machine(),
    })


if __name__ == "__main__":
    main()
