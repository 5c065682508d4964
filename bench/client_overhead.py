"""Per-task overhead in client mode (history sent to a server) against embedded mode.

    python bench/client_overhead.py [--n 10000]

Runs the flow of `task_overhead.py` twice in fresh child processes: embedded (history
into a local SQLite file) and in client mode (HEADWATER_API_URL pointing at a
`headwater server start` over its own SQLite file). After each, the task runs
recorded are counted. Target: client mode <= 2x embedded. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
from _common import count_rows, emit, headwater_env, machine
from api_throughput import _start_server
from task_overhead import CHILD


def _run(code: str, home: Path, **env: str) -> dict:
    with (home / "run.log").open("wb") as log:
        proc = subprocess.run([sys.executable, "-c", code], env=headwater_env(home, **env), stdout=subprocess.PIPE,
                              stderr=log, timeout=1800, cwd=home)
    if proc.returncode != 0:
        raise SystemExit(f"child failed: {(home / 'run.log').read_text()[-2000:]}")
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    code = CHILD.format(n=args.n)
    with tempfile.TemporaryDirectory(prefix="headwater-bench-") as tmp:
        root = Path(tmp)
        (root / "embedded").mkdir()
        embedded = _run(code, root / "embedded")
        embedded_recorded = count_rows(root / "embedded" / "headwater.db", "task_runs")
        server, api = _start_server(root / "server", None)
        try:
            (root / "client").mkdir()
            client = _run(code, root / "client", HEADWATER_API_URL=api)
            client_recorded = httpx.post(f"{api}/task_runs/count", json={}, timeout=60).json()
        finally:
            server.terminate()
            server.wait(30)
    per_task = {name: (t["flow_s"] - t["plain_loop_s"]) / args.n * 1e6 for name, t in
                (("embedded", embedded), ("client", client))}
    emit({
        "bench": "client_overhead",
        "n": args.n,
        "embedded_per_task_us": round(per_task["embedded"], 1),
        "client_per_task_us": round(per_task["client"], 1),
        "ratio": round(per_task["client"] / per_task["embedded"], 2),
        "target_ratio": 2.0,
        "embedded_task_runs": embedded_recorded,
        "client_task_runs": client_recorded,
        "task_runs_expected": args.n + 1,
        **machine(),
    })


if __name__ == "__main__":
    main()
