"""The examples in examples/ run as users run them: `python examples/X.py`, in a
real subprocess, with history in a fresh $HEADWATER_HOME."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HEADWATER_CLI = Path(sys.executable).with_name("headwater")


def isolated_env(home: Path) -> dict[str, str]:
    """The environment with history embedded in `home` and no other headwater setting."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env.update(HEADWATER_HOME=str(home), HEADWATER_LOGGING_LEVEL="INFO")
    return env


def run_example(name: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        env=isolated_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=home,
    )


def output_of(proc: subprocess.CompletedProcess[str]) -> str:
    return proc.stdout + proc.stderr


def assert_succeeded(proc: subprocess.CompletedProcess[str]) -> str:
    out = output_of(proc)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{out}"
    return out


def flow_run_line(out: str, message: str) -> re.Match[str] | None:
    """The console line `... | INFO    | Flow run '<name>' - <message>`."""
    return re.search(
        r"^\d\d:\d\d:\d\d\.\d{3} \| INFO +\| Flow run '[^']+' - " + re.escape(message) + r"$",
        out,
        re.MULTILINE,
    )


def cli_json(home: Path, *args: str) -> Any:
    """What `headwater ARGS...` prints on stdout, parsed as JSON."""
    proc = subprocess.run(
        [str(HEADWATER_CLI), *args], env=isolated_env(home), capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stdout)


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def count_rows(db: Path, table: str) -> int:
    return int(query(db, f"SELECT count(*) FROM {table}")[0][0])


def task_state_names(db: Path) -> dict[str, list[str]]:
    """Each task run's state names in the order it entered them."""
    names: dict[str, list[str]] = {}
    rows = query(db, "SELECT t.name, s.name FROM states s JOIN task_runs t ON t.id = s.task_run_id ORDER BY s.id")
    for task_run_name, state_name in rows:
        names.setdefault(str(task_run_name), []).append(str(state_name))
    return names


def test_pipeline_retries_and_completes(tmp_path: Path) -> None:
    proc = run_example("pipeline.py", tmp_path)
    out = assert_succeeded(proc)

    assert re.search(r"\| INFO +\| headwater\.engine - Created flow run '[a-z]+-[a-z]+' for flow 'pipeline'", out), out
    for value in ("0", "1", "4"):
        assert flow_run_line(out, value), f"print({value}) not logged by the flow run:\n{out}"
    assert re.search(
        r"\| WARNING \| Task run 'fetch-[0-9a-f]{3}' - Task run failed with exception: "
        r"ConnectionError\('upstream unavailable while fetching 1 \(first attempt\)'\) - Retry 1/3 will start",
        out,
    ), f"no retry in the log:\n{out}"
    assert re.search(r"Task run 'fetch-[0-9a-f]{3}' - Finished in state Completed\(\)", out), out
    assert flow_run_line(out, "Finished in state Completed()"), out

    db = tmp_path / "headwater.db"
    assert db.is_file()
    assert count_rows(db, "flow_runs") == 1
    histories = sorted(task_state_names(db).values())
    assert histories == [
        ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"],
        ["Pending", "Running", "Completed"],
        ["Pending", "Running", "Completed"],
    ]


def test_github_stars_runs_offline_with_a_retry(tmp_path: Path) -> None:
    proc = run_example("github_stars.py", tmp_path)
    out = assert_succeeded(proc)

    assert re.search(r"Created flow run '[a-z]+-[a-z]+' for flow 'show-stars'", out), out
    for line in (
        "PrefectHQ/prefect: 17320 stars",
        "pydantic/pydantic: 186319 stars",
        "huggingface/transformers: 134849 stars",
    ):
        assert flow_run_line(out, line), f"{line!r} missing:\n{out}"
    assert re.search(
        r"Task run 'fetch_stats-[0-9a-f]{3}' - Task run failed with exception: HTTPStatusError\(.*503 Service Unavailable.*"
        r" - Retry 1/3 will start",
        out,
    ), f"no retry after the fake API's 503:\n{out}"
    assert flow_run_line(out, "Finished in state Completed()"), out

    db = tmp_path / "headwater.db"
    assert db.is_file()
    retried = [h for name, h in task_state_names(db).items() if name.startswith("fetch_stats-") and "Retrying" in h]
    assert len(retried) == 1
    assert count_rows(db, "task_runs") == 6  # fetch_stats and get_stars for 3 repos


def test_github_stars_records_which_fetch_fed_each_get_stars(tmp_path: Path) -> None:
    assert_succeeded(run_example("github_stars.py", tmp_path))

    edges = query(
        tmp_path / "headwater.db",
        "SELECT down.task_name, up.task_name, i.parameter FROM task_run_inputs i"
        " JOIN task_runs down ON down.id = i.task_run_id JOIN task_runs up ON up.id = i.upstream_task_run_id",
    )
    assert sorted(edges) == [("get_stars", "fetch_stats", "repo_stats")] * 3


def test_example_runs_are_listed_by_the_cli(tmp_path: Path) -> None:
    assert_succeeded(run_example("pipeline.py", tmp_path))

    runs = cli_json(tmp_path, "flow-run", "ls", "--output", "json")

    assert len(runs) == 1
    run = runs[0]
    assert run["flow_name"] == "pipeline"
    assert run["state"]["type"] == "COMPLETED"
    assert run["parameters"] == {"n": 3}

    inspected = cli_json(tmp_path, "flow-run", "inspect", str(run["id"]), "--output", "json")
    assert isinstance(inspected, dict)
    assert inspected["id"] == run["id"]
    attempts = sorted((t["task_name"], t["run_count"], t["state"]["name"]) for t in inspected["task_runs"])
    assert attempts == [("fetch", 1, "Completed"), ("fetch", 1, "Completed"), ("fetch", 2, "Completed")]


def test_github_stars_second_run_reads_cached_stats(tmp_path: Path) -> None:
    assert_succeeded(run_example("github_stars.py", tmp_path))
    out = assert_succeeded(run_example("github_stars.py", tmp_path))  # a new process, the same home

    cached = re.findall(
        r"^\d\d:\d\d:\d\d\.\d{3} \| INFO +\| Task run 'fetch_stats-[0-9a-f]{3}' - Finished in state "
        r"Cached\(type=COMPLETED\)$",
        out,
        re.MULTILINE,
    )
    assert len(cached) == 3, out
    assert "Retry" not in out, "no API call, so no 503 to retry"
    for line in ("PrefectHQ/prefect: 17320 stars", "pydantic/pydantic: 186319 stars"):
        assert flow_run_line(out, line), f"{line!r} missing:\n{out}"

    newest = cli_json(tmp_path, "flow-run", "ls", "--output", "json")[0]
    inspected = cli_json(tmp_path, "flow-run", "inspect", str(newest["id"]), "--output", "json")
    fetches = [t for t in inspected["task_runs"] if t["task_name"] == "fetch_stats"]
    assert [t["state"]["name"] for t in fetches] == ["Cached"] * 3
    for fetch in fetches:
        details = fetch["state"]["details"]
        assert Path(details["storage_key"]).is_file()
        assert Path(details["storage_key"]).is_relative_to(tmp_path / "storage")
        assert len(details["cache_key"]) == 32 and details["expires"]
