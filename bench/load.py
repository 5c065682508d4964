"""Load: 8 engine processes, each a flow of 5,000 tasks at once, on each backend.

    python bench/load.py [--processes 8] [--tasks 5000] [--backends embedded server-sqlite server-postgres]

The proof of tests/system/test_load.py at any size, timed. For each backend, fresh:

- `embedded`: every engine writes one SQLite file in a shared $HEADWATER_HOME while
  `headwater server start` serves API and UI over the same file;
- `server-sqlite`: every engine sends its history to one server on SQLite;
- `server-postgres`: the same, the server on a throwaway PostgreSQL cluster started
  from Debian's binaries (as `api_throughput.py --postgres` does).

All engines are started, wait until each is ready, and are released together; a
reader polls the server's API and UI all the while. `seconds` runs from the release
to the last engine's exit (each flow's history flushed at its end). `cpu_seconds` is
the CPU of the engines and the server (not PostgreSQL's own processes), as the OS
accounts for reaped children; `engines_cpu_seconds` is what the engines measured
themselves (all threads, start-up included). Afterwards
the database is counted: every flow run, task run and state must be there and
final (`counts_verified`), no engine or server output may name a lock, a database
error, a traceback or a 5xx, and every answer the reader got must be 2xx.
Prints one JSON line per backend.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from _common import emit, machine
from api_throughput import _postgres

_TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path[:0] = [str(_TESTS / "system"), str(_TESTS)]  # loadgen, and the support module it builds on
from loadgen import Poller, child_env, problems_in, run_engines, server_process, verify_history  # noqa: E402

BACKENDS = ("embedded", "server-sqlite", "server-postgres")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(backend: str, root: Path, processes: int, tasks: int) -> dict[str, Any]:
    """Run the load once on `backend` in `root`; return its JSON line."""
    stop_postgres = None
    if backend == "embedded":
        home = root / "home"
        server = server_process(home, root / "server.log")
        engine_env = child_env(home)
        database_url = f"sqlite:///{home / 'headwater.db'}"
    else:
        if backend == "server-postgres":
            database_url, stop_postgres = _postgres(root)
            extra = {"HEADWATER_DATABASE_URL": database_url}
        else:
            database_url, extra = f"sqlite:///{root / 'server-home' / 'headwater.db'}", {}
        server = server_process(root / "server-home", root / "server.log", **extra)
        engine_env = child_env(root / "client-home", HEADWATER_API_URL=server.url)
    try:
        cpu_before = _children_cpu()
        try:
            server.start()
            with Poller(server.base_url, interval=0.25) as poller:
                results, seconds = run_engines(root / "engines", engine_env, processes=processes, tasks=tasks,
                                               timeout=3600)
        finally:
            server_log = server.stop()
        cpu = _children_cpu() - cpu_before
        failed = [r.index for r in results if r.returncode != 0]
        if failed:
            raise SystemExit(f"{backend}: engine(s) {failed} failed:\n{results[failed[0]].stderr[-3000:]}")
        counts, problems = verify_history(database_url, [str(r.report["flow_run_id"]) for r in results], tasks)
    finally:
        if stop_postgres is not None:
            stop_postgres()
    said = [line for r in results for line in problems_in(r.stderr)] + problems_in(server_log)
    return {
        "bench": "load",
        "backend": backend,
        "processes": processes,
        "tasks_per_process": tasks,
        "tasks": processes * tasks,
        "seconds": round(seconds, 2),
        "tasks_per_second": round(processes * tasks / seconds, 1),
        "cpu_seconds": round(cpu, 2),
        "engines_cpu_seconds": round(sum(float(r.report["cpu_seconds"]) for r in results), 2),
        "slowest_flow_s": max(float(r.report["seconds"]) for r in results),
        "counts_verified": not problems,
        "problems": problems[:5],
        **asdict(counts),
        "reader_requests": poller.requests,
        "reader_not_2xx": poller.not_2xx(),
        "reader_failures": len(poller.failures),
        "locks_errors_or_5xx_printed": said[:5],
        "load_average_1m": round(os.getloadavg()[0], 2),
        **machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--tasks", type=int, default=5_000, help="tasks in each process's flow")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    args = parser.parse_args()
    for backend in args.backends:
        with tempfile.TemporaryDirectory(prefix="headwater-bench-load-") as tmp:
            emit(measure(backend, Path(tmp), args.processes, args.tasks))


if __name__ == "__main__":
    main()
