"""The load proof's machinery, shared by tests/system/test_load.py and bench/load.py.

- `ServerProcess`: `headwater server start` as a subprocess, its output kept in a file.
- `run_engines`: eight (or any number of) engine processes running `load_flow.py`,
  released together by one signal file, each waited for with a bound.
- `Poller`: a thread reading the server (API and UI) all through the load, keeping
  every answer's status.
- `verify_history`: counts, straight from the database, the flow runs, task runs and
  states the load must have left, and returns the first problem it finds.
- `problems_in`: the lines of a process's output that no user may ever see.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

import support
from support import ServerProcess

__all__ = [
    "EngineResult",
    "HistoryCounts",
    "Poller",
    "ServerProcess",
    "child_env",
    "server_process",
    "problems_in",
    "run_engines",
    "verify_history",
]

LOAD_FLOW = Path(__file__).with_name("load_flow.py")
TASK_STATES = ["PENDING", "RUNNING", "COMPLETED"]
FLOW_STATES = ["PENDING", "RUNNING", "COMPLETED"]
FORBIDDEN = ("database is locked", "OperationalError", "Traceback", "internal error", "HTTP 5",
             "cannot send run history", "could not write", "INCOMPLETE")


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a child process: no inherited HEADWATER_ settings, its own
    home, run logs kept out of its stderr (which must then stay free of trouble)."""
    return support.child_env(home, **{"HEADWATER_LOGGING_TO_CONSOLE": "false", **extra})


def server_process(home: Path, log_path: Path, **env: str) -> ServerProcess:
    """A server whose run logs stay out of its output, like the engines' (`child_env`)."""
    return ServerProcess(home, log_path=log_path, **{"HEADWATER_LOGGING_TO_CONSOLE": "false", **env})


def problems_in(text: str) -> list[str]:
    """The lines of `text` naming a lock, a database error, a traceback or a 5xx."""
    return [line for line in text.splitlines() if any(marker in line for marker in FORBIDDEN)]


@dataclass
class EngineResult:
    """What one engine process left: exit code, output, and what it printed last."""

    index: int
    returncode: int
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, object]:
        lines = self.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else {}


def run_engines(root: Path, env: dict[str, str], *, processes: int, tasks: int,
                timeout: float = 600) -> tuple[list[EngineResult], float]:
    """Start `processes` engines, release them together, wait for all of them.

    Each runs `load_flow.py` (a flow mapping one task over `tasks` items) with `env`.

    Returns:
        each process's result, and the wall time from the release to the last exit.
    """
    signals = root / "signals"
    signals.mkdir(parents=True)
    procs: list[tuple[subprocess.Popen[bytes], Path, Path]] = []
    try:
        for index in range(processes):
            out, err = root / f"engine-{index}.out", root / f"engine-{index}.err"
            with out.open("wb") as stdout, err.open("wb") as stderr:
                proc = subprocess.Popen([sys.executable, str(LOAD_FLOW), str(signals), str(index), str(tasks)],
                                        env=env, cwd=root, stdout=stdout, stderr=stderr)
            procs.append((proc, out, err))

        def all_ready() -> bool:
            for proc, _, err in procs:
                if proc.poll() is not None:
                    raise AssertionError(f"an engine exited before the start: {err.read_text(errors='replace')}")
            return all((signals / f"ready-{i}").exists() for i in range(processes))

        support.wait_until(all_ready, 120, f"{processes} engine processes to be ready")
        released = time.perf_counter()
        (signals / "go").touch()
        deadline = time.monotonic() + timeout
        for proc, _, _ in procs:
            proc.wait(max(1.0, deadline - time.monotonic()))
        wall = time.perf_counter() - released
    finally:
        for proc, _, _ in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(30)
    results = [EngineResult(i, proc.returncode, out.read_text(errors="replace"), err.read_text(errors="replace"))
               for i, (proc, out, err) in enumerate(procs)]
    return results, wall


@dataclass
class Poller:
    """Reads the server as a user would while the load runs: health, the runs API, the
    dashboard, the runs list, and the page, live updates, graph, task runs and logs of
    a flow run in flight.

    Every answer's status is kept in `statuses` ("GET /runs" -> Counter of codes);
    connection failures are kept in `failures`.
    """

    base_url: str
    interval: float = 0.1
    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    # Rounds that read every page, a flow run's included (a loaded machine may fit only one).
    full_rounds: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Poller:
        self._thread = threading.Thread(target=self._run, name="load-poller", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join(120)

    @property
    def requests(self) -> int:
        return sum(sum(codes.values()) for codes in self.statuses.values())

    def not_2xx(self) -> dict[str, dict[int, int]]:
        """The requests that answered anything but 2xx, with their counts."""
        return {what: {code: n for code, n in codes.items() if not 200 <= code < 300}
                for what, codes in self.statuses.items() if any(not 200 <= code < 300 for code in codes)}

    def _run(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=60) as client:
            while not self._stop.is_set():
                self._round(client)
                self._stop.wait(self.interval)

    def _round(self, client: httpx.Client) -> None:
        self._get(client, "GET", "/api/health")
        running = {"flow_runs": {"state": {"type": {"any_": ["RUNNING"]}}}, "limit": 5}
        # A run in flight if there is one, else the newest: its page is read either way.
        runs = self._get(client, "POST", "/api/flow_runs/filter", json=running) or \
            self._get(client, "POST", "/api/flow_runs/filter", json={"limit": 1})
        self._get(client, "POST", "/api/task_runs/count", json={})
        self._get(client, "GET", "/")
        self._get(client, "GET", "/runs")
        self._get(client, "GET", "/ui/api/summary")
        if runs:
            run_id = runs[0]["id"]
            self._get(client, "GET", f"/runs/{run_id}", label="GET /runs/{id}")
            self._get(client, "GET", f"/ui/api/flow-runs/{run_id}/live", label="GET /ui/api/flow-runs/{id}/live")
            self._get(client, "GET", f"/api/flow_runs/{run_id}/graph", label="GET /api/flow_runs/{id}/graph")
            of_run = {"task_runs": {"flow_run_id": {"any_": [run_id]}}, "limit": 200}
            self._get(client, "POST", "/api/task_runs/filter", json=of_run)
            self._get(client, "POST", "/api/logs/filter", json={"logs": {"flow_run_id": {"any_": [run_id]}},
                                                                "limit": 200})
            self.full_rounds += 1

    def _get(self, client: httpx.Client, method: str, path: str, label: str | None = None,
             **kwargs: Any) -> Any:
        what = label or f"{method} {path}"
        try:
            response = client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.failures.append(f"{what}: {type(exc).__name__}: {exc}")
            return None
        self.statuses.setdefault(what, Counter())[response.status_code] += 1
        if response.status_code == 200 and response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return None


@dataclass
class HistoryCounts:
    """What the database holds after the load."""

    flow_runs: int
    task_runs: int
    states: int
    logs: int
    not_final_flow_runs: int
    not_final_task_runs: int


def verify_history(database_url: str, flow_run_ids: Sequence[str], tasks: int) -> tuple[HistoryCounts, list[str]]:
    """Count, in the database itself, what the load left and check it is all there.

    Expected: exactly the flow runs `flow_run_ids`, Completed, each with `tasks` task
    runs; every flow run and task run went through exactly Pending, Running,
    Completed (one state row each, in that order); every run has its log lines;
    nothing anywhere is left in a non-final state.

    Returns:
        the counts, and the problems found (empty when the history is whole).
    """
    from sqlalchemy import create_engine, text

    from headwater.core.states import FINAL_TYPES

    final = sorted(t.value for t in FINAL_TYPES)
    not_final = f"state_type IS NULL OR state_type NOT IN ({', '.join(repr(t) for t in final)})"
    problems: list[str] = []
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            def scalar(sql: str) -> int:
                return int(conn.execute(text(sql)).scalar_one())

            flow_rows = {row[0]: row[1] for row in conn.execute(text("SELECT id, state_type FROM flow_runs"))}
            task_rows = {row[0]: (row[1], row[2]) for row in
                         conn.execute(text("SELECT id, flow_run_id, state_type FROM task_runs"))}
            states: dict[str, list[str]] = {}
            orphan_states = 0
            for flow_run_id, task_run_id, state_type in conn.execute(text(
                    "SELECT flow_run_id, task_run_id, type FROM states ORDER BY timestamp, id")):
                run_id = task_run_id or flow_run_id
                if run_id not in task_rows and run_id not in flow_rows:
                    orphan_states += 1
                states.setdefault(run_id, []).append(state_type)
            logged = {row[0] for row in conn.execute(text("SELECT DISTINCT task_run_id FROM logs"))}
            logged_flows = {row[0] for row in conn.execute(text("SELECT DISTINCT flow_run_id FROM logs"))}
            counts = HistoryCounts(
                flow_runs=len(flow_rows),
                task_runs=len(task_rows),
                states=scalar("SELECT count(*) FROM states"),
                logs=scalar("SELECT count(*) FROM logs"),
                not_final_flow_runs=scalar(f"SELECT count(*) FROM flow_runs WHERE {not_final}"),
                not_final_task_runs=scalar(f"SELECT count(*) FROM task_runs WHERE {not_final}"),
            )
    finally:
        engine.dispose()

    if sorted(flow_rows) != sorted(flow_run_ids):
        problems.append(f"flow runs in the database {sorted(flow_rows)} != the engines' {sorted(flow_run_ids)}")
    if counts.not_final_flow_runs or counts.not_final_task_runs:
        problems.append(f"{counts.not_final_flow_runs} flow run(s) and {counts.not_final_task_runs} task run(s) "
                        "left in a non-final state")
    per_flow = Counter(flow_run_id for flow_run_id, _ in task_rows.values())
    for flow_run_id in flow_run_ids:
        if flow_rows.get(flow_run_id) != "COMPLETED":
            problems.append(f"flow run {flow_run_id} is {flow_rows.get(flow_run_id)}, not COMPLETED")
        if states.get(flow_run_id) != FLOW_STATES:
            problems.append(f"flow run {flow_run_id} went through {states.get(flow_run_id)}, not {FLOW_STATES}")
        if per_flow[flow_run_id] != tasks:
            problems.append(f"flow run {flow_run_id} has {per_flow[flow_run_id]} task runs, not {tasks}")
        if flow_run_id not in logged_flows:
            problems.append(f"flow run {flow_run_id} has no log lines")
    not_completed = sum(state != "COMPLETED" for _, state in task_rows.values())
    if not_completed:
        problems.append(f"{not_completed} task run(s) not COMPLETED")
    wrong_states = [run_id for run_id in task_rows if states.get(run_id) != TASK_STATES]
    if wrong_states:
        example = wrong_states[0]
        problems.append(f"{len(wrong_states)} task run(s) without exactly the states {TASK_STATES}, e.g. {example}: "
                        f"{states.get(example)}")
    unlogged = len(task_rows.keys() - logged)
    if unlogged:
        problems.append(f"{unlogged} task run(s) without a log line")
    if orphan_states:
        problems.append(f"{orphan_states} state row(s) of runs that are not in the database")
    expected_states = len(flow_run_ids) * (len(FLOW_STATES) + tasks * len(TASK_STATES))
    if counts.states != expected_states:
        problems.append(f"{counts.states} state rows, expected {expected_states}")
    return counts, problems
