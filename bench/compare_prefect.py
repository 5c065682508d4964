"""headwater against Prefect 3: the same workloads on both, in one run.

    python bench/compare_prefect.py [--n 1000] [--submit-n 1000] [--cache-n 1000] [--runs 3]
        [--api-seconds 5] [--clients 1 8] [--only WORKLOAD ...] [--prefect-venv DIR] [--workdir DIR]

Not part of CI. Prefect is not a dependency of the project: it is installed into
its own virtualenv (default `bench/.venvs/prefect3`, reused when it already holds a
Prefect 3) with pip; headwater runs with this interpreter (the project's `.venv`).

Each workload is written once, as Prefect code (`_compare_workloads.py`); the headwater
variant is the same text with `prefect` renamed `headwater`, which is the migration
headwater promises. Every workload runs on each system in a fresh home of its own
(`$HEADWATER_HOME` / `$PREFECT_HOME` in a temporary directory), history on, run
logs at INFO sent to a file. Prefect runs without Prefect Cloud: `PREFECT_API_URL`
is unset, so a flow starts Prefect's ephemeral server (a subprocess on 127.0.0.1),
analytics are off (`PREFECT_SERVER_ANALYTICS_ENABLED=false`, `DO_NOT_TRACK=1`) and
the ephemeral server may take up to 300 s to start on a loaded machine. Both
servers keep their UI on: each serves one by default.

Workloads (JSON line names):

- `sequential_tasks`: a flow calling a trivial task N times; (flow wall time - the
  same loop over the plain function) / N. A one-task flow first opens (creates) the
  database, timed apart. `task_runs_recorded`: after the process has exited, the
  fraction of its N + 1 task runs found in the system's SQLite database.
- `submit`, `map`: N trivial tasks with `.submit` then `wait`, and one `.map`, on
  `ThreadPoolTaskRunner(max_workers=W)` (W = min(32, cores + 4), headwater's
  default; Prefect's default is unbounded); flow wall time / N.
- `cache_hits`: a task with `cache_policy=INPUTS` called once (computed, persisted),
  then N times with the same input in a second flow: its wall time / N. The function
  must have run exactly once.
- `cold_start`: wall time of `python flow_with_one_task.py` on an existing home
  (one untimed run creates it), best of --runs.
- `server_start`: `<system> server start --host 127.0.0.1 --port P` to the first
  200 of `GET /api/health`, existing database (one untimed start creates it), best
  of --runs.
- `api_1_client`, `api_8_clients`: flow-run creations per second through the REST
  paths both share (`POST /api/flows/` once, then `POST /api/flow_runs/` with the
  flow's id), each client a process with a keep-alive httpx client, for --api-seconds.
  Only 201s count; a failed create (Prefect answers 503 while its SQLite file is
  locked, or drops the connection) is counted in `failed` and the client goes on.

Prints one JSON line per workload: {"workload", "headwater", "prefect", "unit",
"ratio" (prefect / headwater), "better" ("lower" or "higher"), details of each, the
1-minute load average, and "error" when a system failed it}, then a table on stderr.
A workload that fails on one system is reported in its line; the others still run.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import count_rows
from _compare_workloads import CACHE, FLOW_WITH_ONE_TASK, SEQUENTIAL, SUBMIT, for_system

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_VENV = BENCH_DIR / ".venvs" / "prefect3"
# Prefect 3.8.8 (the newest 3.x this index can install: 3.9 wants a newer certifi)
# passes `min_items` to `fastapi.Body`, which FastAPI 0.155 no longer accepts.
PREFECT_REQUIREMENTS = ["prefect>=3,<4", "fastapi<0.155"]
CHILD_TIMEOUT_S = 1200.0
SERVER_TIMEOUT_S = 300.0

# -- the two systems -------------------------------------------------------------------


@dataclass(frozen=True)
class System:
    """One system under test: its interpreter, CLI, home variable and database."""

    name: str
    python: Path
    home_variable: str
    database: str
    task_run_table: str
    extra_env: dict[str, str] = field(default_factory=dict)
    version: str = "unknown"

    @property
    def cli(self) -> Path:
        return self.python.with_name(self.name)

    def env(self, home: Path) -> dict[str, str]:
        """The environment of a process of this system, with its own fresh `home`."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("HEADWATER_", "PREFECT_"))}
        env.update({self.home_variable: str(home)}, **self.extra_env)
        return env


def headwater_system() -> System:
    import headwater

    return System(
        name="headwater",
        python=Path(sys.executable),
        home_variable="HEADWATER_HOME",
        database="headwater.db",
        task_run_table="task_runs",
        extra_env={"HEADWATER_LOGGING_LEVEL": "INFO"},
        version=getattr(headwater, "__version__", "unknown"),
    )


def prefect_system(venv: Path, requirements: Sequence[str]) -> System:
    """Prefect 3 in `venv`, installed there with pip first if it is not already."""
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import prefect, prefect.server.api.server; print(prefect.__version__)"]
    found = subprocess.run(probe, capture_output=True, text=True) if python.exists() else None
    if found is None or found.returncode != 0 or not found.stdout.startswith("3."):
        print(f"installing {' '.join(requirements)} into {venv} ...", file=sys.stderr, flush=True)
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *requirements], check=True)
        found = subprocess.run(probe, capture_output=True, text=True)
        if found.returncode != 0:
            raise SystemExit(f"Prefect in {venv} does not import:\n{found.stderr[-2000:]}")
    return System(
        name="prefect",
        python=python,
        home_variable="PREFECT_HOME",
        database="prefect.db",
        task_run_table="task_run",
        extra_env={
            "PREFECT_LOGGING_LEVEL": "INFO",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            # The ephemeral server's first start migrates a new database: slow under load.
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300",
        },
        version=found.stdout.strip(),
    )


# -- processes -------------------------------------------------------------------------


def _stop_group(proc: subprocess.Popen[bytes]) -> None:
    """Stop `proc` and the processes it started (its own session), by its id."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    except ProcessLookupError:
        pass


def run_script(system: System, code: str, home: Path, *args: object) -> tuple[float, dict[str, Any]]:
    """Run `code` as a script of `system` in `home`; return its wall time and the JSON
    object of its last stdout line (empty if none). Its stderr goes to `home/../*.log`."""
    home.mkdir(parents=True, exist_ok=True)
    script = home.parent / f"{home.name}.py"
    script.write_text(code)
    log_file = home.parent / f"{home.name}.log"
    with log_file.open("ab") as log:
        start = time.perf_counter()
        # A session of its own, so that a timeout also stops Prefect's ephemeral server.
        proc = subprocess.Popen([str(system.python), str(script), *map(str, args)], env=system.env(home),
                                cwd=home, stdout=subprocess.PIPE, stderr=log, start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            _stop_group(proc)
            raise RuntimeError(f"no result after {CHILD_TIMEOUT_S:.0f} s") from None
        wall_s = time.perf_counter() - start
    if proc.returncode != 0:
        tail = log_file.read_text(errors="replace").strip().splitlines()[-1:] or [""]
        raise RuntimeError(f"exit {proc.returncode}: {tail[0][-300:]} (log: {log_file})")
    lines = out.decode().strip().splitlines()
    return wall_s, (json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {})


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(system: System, home: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """Start `system server start` on 127.0.0.1 with `home`; return the process, the
    API URL and the seconds until `GET /api/health` answered 200."""
    import httpx

    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    argv = [str(system.cli), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/api"
    log = (home.parent / f"{home.name}-server.log").open("ab")
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=system.env(home), cwd=home, stdout=log, stderr=log, start_new_session=True)
    log.close()
    try:
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    return proc, url, time.perf_counter() - start
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode} (log: {log.name})")
            if time.perf_counter() - start > SERVER_TIMEOUT_S:
                raise RuntimeError(f"server not healthy after {SERVER_TIMEOUT_S:.0f} s (log: {log.name})")
            time.sleep(0.005)
    except BaseException:
        _stop_group(proc)
        raise


# -- measuring -------------------------------------------------------------------------

Measured = dict[str, tuple[float, dict[str, Any]]]  # JSON line name -> (figure, details)


def sequential(system: System, root: Path, args: argparse.Namespace) -> Measured:
    home = root / "sequential"
    _, t = run_script(system, for_system(SEQUENTIAL, system.name), home, args.n)
    expected = args.n + 1  # and the first flow's one
    recorded = count_rows(home / system.database, system.task_run_table)
    per_task_us = (t["flow_s"] - t["plain_s"]) / args.n * 1e6
    return {
        "sequential_tasks": (round(per_task_us, 1), {"n": args.n, "flow_s": round(t["flow_s"], 3),
                                                     "first_flow_s": round(t["first_flow_s"], 3)}),
        "task_runs_recorded": (round(recorded / expected, 4), {"in_db": recorded, "expected": expected}),
    }


def submit(system: System, root: Path, args: argparse.Namespace) -> Measured:
    _, t = run_script(system, for_system(SUBMIT, system.name), root / "submit", args.submit_n, args.threads)
    details = {"n": args.submit_n, "threads": args.threads, "first_flow_s": round(t["first_flow_s"], 3)}
    return {name: (round(t[f"{name}_s"] / args.submit_n * 1e6, 1), details) for name in ("submit", "map")}


def cache_hits(system: System, root: Path, args: argparse.Namespace) -> Measured:
    _, t = run_script(system, for_system(CACHE, system.name), root / "cache", args.cache_n)
    if t["calls"] != 1:
        raise RuntimeError(f"the cached function ran {t['calls']} times, not once: not every call was a hit")
    uncached_us = t["plain_s"] / args.cache_n * 1e6
    return {"cache_hits": (round(t["hits_s"] / args.cache_n * 1e6, 1), {
        "n": args.cache_n, "first_call_s": round(t["first_s"], 3), "uncached_task_us": round(uncached_us, 1)})}


def cold_start(system: System, root: Path, args: argparse.Namespace) -> Measured:
    code = for_system(FLOW_WITH_ONE_TASK, system.name)
    home = root / "cold"
    first_s, _ = run_script(system, code, home)  # creates the home; bytecode caches in place
    times = [run_script(system, code, home)[0] for _ in range(args.runs)]
    return {"cold_start": (round(min(times), 3), {"runs_s": [round(s, 3) for s in times],
                                                  "first_run_fresh_home_s": round(first_s, 3)})}


def server_start(system: System, root: Path, args: argparse.Namespace) -> Measured:
    home = root / "server"
    times = []
    for _ in range(args.runs + 1):  # the first start creates the database: not counted
        proc, _, seconds = start_server(system, home)
        _stop_group(proc)
        times.append(seconds)
    return {"server_start": (round(min(times[1:]), 3), {"runs_s": [round(s, 3) for s in times[1:]],
                                                         "empty_db_s": round(times[0], 3)})}


def _client(url: str, flow_id: str, seconds: float, start_at: float, results: Any) -> None:
    import httpx

    latencies, failed, first_failure = [], 0, None
    try:
        with httpx.Client(base_url=url, timeout=60) as client:
            while time.time() < start_at:
                time.sleep(0.001)
            end, i = start_at + seconds, 0
            while time.time() < end:
                t0 = time.perf_counter()
                i += 1
                # A failed create is counted and the client goes on, as a real client
                # retries (Prefect's answers 503 while its SQLite file is locked).
                try:
                    response = client.post("/flow_runs/", json={"flow_id": flow_id, "parameters": {"i": i}})
                except httpx.TransportError as exc:
                    failed += 1
                    first_failure = first_failure or f"{type(exc).__name__}: {exc}"
                    continue
                if response.status_code == 201:
                    latencies.append(time.perf_counter() - t0)
                else:
                    failed += 1
                    first_failure = first_failure or f"{response.status_code}: {response.text[:200]}"
    except Exception as exc:  # reported by the parent, which would otherwise wait in vain
        first_failure = f"client stopped: {type(exc).__name__}: {exc}"
    results.put((latencies, failed, first_failure))


def _creations(url: str, flow_id: str, clients: int, seconds: float) -> tuple[float, dict[str, Any]]:
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    start_at = time.time() + 1.0  # every client started and waiting
    procs = [ctx.Process(target=_client, args=(url, flow_id, seconds, start_at, results)) for _ in range(clients)]
    for proc in procs:
        proc.start()
    latencies: list[float] = []
    failed, failures = 0, set()
    try:
        for _ in procs:
            got, failed_here, failure = results.get(timeout=seconds + 120)
            latencies.extend(got)
            failed += failed_here
            failures.add(failure)
    finally:
        for proc in procs:
            proc.join(30)
            if proc.is_alive():
                proc.kill()
    failures.discard(None)
    if not latencies:
        raise RuntimeError(f"no flow run created; {failed} creates answered {sorted(failures)}")
    latencies.sort()

    def ms(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 2)

    return round(len(latencies) / seconds, 1), {"clients": clients, "creations": len(latencies), "failed": failed,
                                                "failures": sorted(failures)[:3], "p50_ms": ms(0.5),
                                                "p99_ms": ms(0.99), "max_ms": ms(1.0)}


def api_throughput(system: System, root: Path, args: argparse.Namespace) -> Measured:
    import httpx

    proc, url, _ = start_server(system, root / "api")
    try:
        created = httpx.post(f"{url}/flows/", json={"name": "bench"}, timeout=60)
        created.raise_for_status()
        flow_id = created.json()["id"]
        return {api_line(n): _creations(url, flow_id, n, args.api_seconds) for n in args.clients}
    finally:
        _stop_group(proc)


def api_line(clients: int) -> str:
    return f"api_{clients}_client" + ("s" if clients != 1 else "")


@dataclass(frozen=True)
class Workload:
    """A measurement run on each system; `lines` are its JSON lines: (name, unit, better)."""

    name: str
    run: Callable[[System, Path, argparse.Namespace], Measured]
    lines: Callable[[argparse.Namespace], list[tuple[str, str, str]]]


WORKLOADS = [
    Workload("sequential", sequential, lambda a: [("sequential_tasks", "us/task", "lower"),
                                                  ("task_runs_recorded", "fraction in db", "higher")]),
    Workload("submit", submit, lambda a: [("submit", "us/task", "lower"), ("map", "us/task", "lower")]),
    Workload("cache", cache_hits, lambda a: [("cache_hits", "us/hit", "lower")]),
    Workload("cold_start", cold_start, lambda a: [("cold_start", "s", "lower")]),
    Workload("server_start", server_start, lambda a: [("server_start", "s", "lower")]),
    Workload("api", api_throughput, lambda a: [(api_line(n), "flow runs/s", "higher") for n in a.clients]),
]


def compare(workload: Workload, systems: Sequence[System], root: Path, args: argparse.Namespace) -> list[dict]:
    """Run `workload` on each system; one result line per figure, errors included."""
    measured: dict[str, Measured] = {}
    errors: dict[str, str] = {}
    for system in systems:
        print(f"[{time.strftime('%H:%M:%S')}] {workload.name} on {system.name} ...", file=sys.stderr, flush=True)
        try:
            measured[system.name] = workload.run(system, root / system.name, args)
        except Exception as exc:  # one system's failure must not stop the comparison
            errors[system.name] = f"{type(exc).__name__}: {exc}"
            measured[system.name] = {}
    lines = []
    for name, unit, better in workload.lines(args):
        line: dict[str, Any] = {"workload": name}
        for system in systems:
            value, details = measured[system.name].get(name, (None, {}))
            line[system.name] = value
            line[f"{system.name}_details"] = details
        h, p = line["headwater"], line["prefect"]
        line.update(unit=unit, ratio=round(p / h, 2) if h and p is not None else None, better=better,
                    load_1min=round(os.getloadavg()[0], 2))
        if errors:
            line["error"] = "; ".join(f"{s}: {e}" for s, e in errors.items())
        lines.append(line)
    return lines


def table(lines: Sequence[dict], systems: Sequence[System]) -> str:
    """The results as a plain-text table."""
    rows = [("workload", *(f"{s.name} {s.version}" for s in systems), "unit", "prefect/headwater", "load")]
    for line in lines:
        cells = ["error" if line[s.name] is None else f"{line[s.name]:,}" for s in systems]
        ratio = "-" if line["ratio"] is None else f"{line['ratio']:,}"
        rows.append((line["workload"], *cells, f"{line['unit']} ({line['better']} is better)", ratio,
                     f"{line['load_1min']}"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    text = "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in rows)
    errors = [f"{line['workload']}: {line['error']}" for line in lines if "error" in line]
    return text + ("\n\nerrors:\n" + "\n".join(errors) if errors else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="sequential task calls (default 1000)")
    parser.add_argument("--submit-n", type=int, default=1000, help="tasks submitted / mapped (default 1000)")
    parser.add_argument("--threads", type=int, default=min(32, (os.cpu_count() or 1) + 4),
                        help="ThreadPoolTaskRunner(max_workers=...) for submit/map (default min(32, cores + 4))")
    parser.add_argument("--cache-n", type=int, default=1000, help="cache hits (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs for cold and server start (default 3)")
    parser.add_argument("--api-seconds", type=float, default=5.0, help="seconds per API measure (default 5)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8], help="API clients (default 1 8)")
    parser.add_argument("--only", nargs="+", choices=[w.name for w in WORKLOADS], help="run only these workloads")
    parser.add_argument("--prefect-venv", type=Path, default=DEFAULT_VENV, help=f"default {DEFAULT_VENV}")
    parser.add_argument("--prefect-requirement", action="append", dest="requirements",
                        help=f"what pip installs into a new venv (repeatable; default {PREFECT_REQUIREMENTS})")
    parser.add_argument("--workdir", type=Path, help="keep the homes, scripts and logs here (default: a temporary "
                        "directory, removed at the end)")
    args = parser.parse_args()
    for option in ("n", "submit_n", "threads", "cache_n", "runs"):
        if getattr(args, option) < 1:
            parser.error(f"--{option.replace('_', '-')} must be at least 1")
    if args.api_seconds <= 0 or min(args.clients) < 1:
        parser.error("--api-seconds must be positive and every --clients value at least 1")
    if args.workdir is not None and args.workdir.exists() and any(args.workdir.iterdir()):
        parser.error(f"--workdir {args.workdir} is not empty: give a new directory, so every home starts fresh")

    systems = [headwater_system(), prefect_system(args.prefect_venv, args.requirements or PREFECT_REQUIREMENTS)]
    print(f"headwater {systems[0].version} ({systems[0].python}), prefect {systems[1].version} "
          f"({systems[1].python}); load average {os.getloadavg()}", file=sys.stderr, flush=True)
    chosen = [w for w in WORKLOADS if not args.only or w.name in args.only]
    results = []
    with tempfile.TemporaryDirectory(prefix="headwater-vs-prefect-") as tmp:
        root = Path(tmp) if args.workdir is None else args.workdir.resolve()
        for workload in chosen:
            for line in compare(workload, systems, root, args):
                print(json.dumps(line), flush=True)
                results.append(line)
    print(f"\nload average at the end: {os.getloadavg()}\n" + table(results, systems), file=sys.stderr)


if __name__ == "__main__":
    main()
