"""Prefect 3's CLI option names on headwater's verbs, against a real embedded home.

`work-pool create --type`, `deploy -p/--pool`, `worker start -n/-l/-t`, `deployment run
--tag --flow-run-name --start-in --start-at`, `flow-run ls --flow-name --state
--state-type --limit` and `flow-run logs --head --tail --num-logs --reverse`, and
headwater's older names that keep working beside them.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from headwater.cli import app

from .conftest import HEADWATER_SCRIPT, T0

FLOW_SOURCE = '''
from headwater import flow


@flow(log_prints=True)
def greet(name: str = "world", n: int = 1) -> str:
    print(f"hello {name} {n}")
    return name
'''


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _json(runner: CliRunner, *args: str) -> Any:
    return json.loads(_ok(runner, *args, "--output", "json"))


def _usage_error(runner: CliRunner, *args: str) -> str:
    """Run a command that must fail on its input: exit 1 or 2, one message, no traceback."""
    result = runner.invoke(app, list(args))
    assert result.exit_code in (1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    # Typer draws usage errors in a box that wraps long lines; read the words only.
    return " ".join(result.stderr.translate({ord(c): " " for c in "│╭╮╰╯─"}).split())


@pytest.fixture
def flow_file(home: Path, tmp_path: Path) -> Path:
    path = tmp_path / "greet_flow.py"
    path.write_text(FLOW_SOURCE)
    return path


@pytest.fixture
def deployed(runner: CliRunner, flow_file: Path) -> str:
    """A deployment 'greet/d' in the default pool; returns its name."""
    _ok(runner, "deploy", f"{flow_file}:greet", "--name", "d")
    return "greet/d"


# -- work-pool create --type ---------------------------------------------------------


def test_work_pool_create_accepts_type_process(runner: CliRunner, home: Path) -> None:
    _ok(runner, "work-pool", "create", "gpu", "--type", "process")
    _ok(runner, "work-pool", "create", "cpu", "-t", "Process")
    pools = {p["name"]: p for p in _json(runner, "work-pool", "ls")}
    assert pools["gpu"]["type"] == "process"
    assert pools["cpu"]["type"] == "process"


def test_work_pool_create_refuses_other_types(runner: CliRunner, home: Path) -> None:
    message = _usage_error(runner, "work-pool", "create", "k8s", "--type", "kubernetes")
    assert "'kubernetes'" in message and "only work pools of type 'process'" in message
    assert "k8s" not in {p["name"] for p in _json(runner, "work-pool", "ls")}


# -- deploy -p/--pool ----------------------------------------------------------------


def test_deploy_pool_short_and_long(runner: CliRunner, flow_file: Path) -> None:
    _ok(runner, "work-pool", "create", "gpu")
    _ok(runner, "deploy", f"{flow_file}:greet", "--name", "short", "-p", "gpu")
    _ok(runner, "deploy", f"{flow_file}:greet", "--name", "long", "--pool", "gpu", "--param", "n=3")
    short = _json(runner, "deployment", "inspect", "greet/short")
    long = _json(runner, "deployment", "inspect", "greet/long")
    assert short["work_pool_name"] == "gpu"
    assert long["work_pool_name"] == "gpu" and long["parameters"] == {"n": 3}


def test_deploy_keeps_the_older_p_key_value_form(runner: CliRunner, flow_file: Path) -> None:
    _ok(runner, "work-pool", "create", "gpu")
    _ok(runner, "deploy", f"{flow_file}:greet", "--name", "old", "-p", "n=5", "-p", "gpu", "-p", "name=ann")
    info = _json(runner, "deployment", "inspect", "greet/old")
    assert info["work_pool_name"] == "gpu"
    assert info["parameters"] == {"n": 5, "name": "ann"}
    default = _ok(runner, "deploy", f"{flow_file}:greet", "--name", "dflt", "-p", "n=1")
    assert "work pool 'default'" in default


def test_deploy_refuses_two_pools(runner: CliRunner, flow_file: Path) -> None:
    message = _usage_error(runner, "deploy", f"{flow_file}:greet", "--name", "x", "-p", "a", "--pool", "b")
    assert "one work pool" in message and "'a'" in message and "'b'" in message


# -- deployment run --tag --flow-run-name --start-in --start-at ----------------------


def _created_run(runner: CliRunner, *args: str) -> dict[str, Any]:
    out = _ok(runner, "deployment", "run", *args)
    run_id = out.split("(id ", 1)[1].split(")", 1)[0]
    return _json(runner, "flow-run", "inspect", run_id)


def test_deployment_run_tags_and_name(runner: CliRunner, deployed: str, flow_file: Path) -> None:
    run = _created_run(runner, deployed, "--tag", "red", "--tag", "blue", "--flow-run-name", "greet-{name}",
                       "-p", "name=bob")
    assert {"red", "blue"} <= set(run["tags"])
    assert run["name"] == "greet-bob"
    plain = _created_run(runner, deployed)
    assert "red" not in plain["tags"] and plain["name"] != "greet-bob"
    # The deployment's own parameters fill the name too; the run's win.
    _ok(runner, "deploy", f"{flow_file}:greet", "--name", "with-n", "--param", "n=4", "--param", "name=x")
    assert _created_run(runner, "greet/with-n", "--flow-run-name", "{name}-{n}", "-p", "n=5")["name"] == "x-5"


def test_deployment_run_params_json(runner: CliRunner, deployed: str) -> None:
    run = _created_run(runner, deployed, "--params", '{"name": "json", "n": 7}', "-p", "n=8")
    assert run["parameters"] == {"name": "json", "n": 8}  # -p wins over --params, as in Prefect
    result = runner.invoke(app, ["deployment", "run", deployed, "--params", "-"], input='{"n": 9}')
    assert result.exit_code == 0, result.output
    assert _json(runner, "flow-run", "ls", "--limit", "1")[0]["parameters"] == {"n": 9}
    assert "must be a JSON object" in _usage_error(runner, "deployment", "run", deployed, "--params", "[1]")
    assert "not JSON" in _usage_error(runner, "deployment", "run", deployed, "--params", "{nope")


def test_deployment_run_name_with_unknown_field(runner: CliRunner, deployed: str) -> None:
    message = _usage_error(runner, "deployment", "run", deployed, "--flow-run-name", "run-{nope}")
    assert "{nope} is not a parameter" in message and "--flow-run-name" in message


@pytest.mark.parametrize("text, delta", [("2 hours", timedelta(hours=2)), ("in 10 minutes", timedelta(minutes=10)),
                                         ("1h30m", timedelta(hours=1, minutes=30)), ("90", timedelta(seconds=90))])
def test_deployment_run_start_in(runner: CliRunner, deployed: str, text: str, delta: timedelta) -> None:
    before = datetime.now(timezone.utc)
    run = _created_run(runner, deployed, "--start-in", text)
    after = datetime.now(timezone.utc)
    due = datetime.fromisoformat(run["expected_start_time"])
    assert before + delta <= due <= after + delta
    assert run["state"]["type"] == "SCHEDULED"


def test_deployment_run_start_at_local_time_and_offset(runner: CliRunner, deployed: str) -> None:
    run = _created_run(runner, deployed, "--start-at", "2030-12-05 10:00")
    expected = datetime(2030, 12, 5, 10, 0).astimezone()  # no offset: local time, as in Prefect
    assert datetime.fromisoformat(run["expected_start_time"]) == expected
    run = _created_run(runner, deployed, "--start-at", "at 2030-12-05T10:00:00+02:00")
    assert datetime.fromisoformat(run["expected_start_time"]) == datetime(2030, 12, 5, 8, 0, tzinfo=timezone.utc)


def test_deployment_run_start_at_time_of_day_is_next_occurrence(runner: CliRunner, deployed: str) -> None:
    before = datetime.now(timezone.utc)
    run = _created_run(runner, deployed, "--start-at", "5:30pm")
    due = datetime.fromisoformat(run["expected_start_time"])
    local = due.astimezone()
    assert (local.hour, local.minute) == (17, 30)
    assert before < due <= before + timedelta(days=1)


@pytest.mark.parametrize("args, expected", [
    (["--start-in", "soon"], "'soon' is not a duration"),
    (["--start-in", "2 months"], "units: seconds, minutes, hours, days, weeks"),
    (["--start-at", "next tuesday"], "'next tuesday' is not a moment"),
    (["--start-at", "25:00"], "a time of day such as '17:30'"),
    (["--start-in", "1 hour", "--start-at", "17:00"], "either --start-in or --start-at, not both"),
])
def test_deployment_run_bad_start(runner: CliRunner, deployed: str, args: list[str], expected: str) -> None:
    message = _usage_error(runner, "deployment", "run", deployed, *args)
    assert expected in message
    assert _json(runner, "flow-run", "ls") == []  # nothing was created


def test_deployment_run_watch_timeout(runner: CliRunner, deployed: str) -> None:
    # No worker runs it, so watching gives up after the timeout; the run stays scheduled.
    result = runner.invoke(app, ["deployment", "run", deployed, "--watch", "--watch-timeout", "0.2"])
    assert result.exit_code == 1, result.output
    assert "Stopped watching after 0.2 s" in result.stderr


# -- worker start -n/-l/-t ------------------------------------------------------------


def test_worker_start_refuses_other_types(runner: CliRunner, home: Path) -> None:
    message = _usage_error(runner, "worker", "start", "-p", "default", "-t", "docker")
    assert "'docker'" in message and "type 'process'" in message


def test_worker_start_short_options_run_a_flow(runner: CliRunner, deployed: str, script_env: dict[str, str]) -> None:
    run = _created_run(runner, deployed, "-p", "name=wk")
    done = subprocess.run(
        [str(HEADWATER_SCRIPT), "worker", "start", "-p", "default", "-n", "w-short", "-l", "3", "-t", "process",
         "--run-once", "--prefetch-seconds", "1"],
        env=script_env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "'w-short'" in done.stderr and "at most 3 run(s) at once" in done.stderr
    finished = _json(runner, "flow-run", "inspect", run["id"])
    assert finished["state"]["type"] == "COMPLETED"
    workers = {w["name"]: w for w in _json(runner, "worker", "ls")}
    assert workers["w-short"]["limit"] == 3


# -- flow-run ls --flow-name --state --state-type --limit ------------------------------


@pytest.fixture
def runs(home: Path) -> None:
    """Four flow runs: a/Completed, b/Completed named 'Skipped', c/Running named 'Retrying', a/Failed."""
    from headwater.core.settings import get_settings
    from headwater.orchestrator.records import FlowRunCreated, StateChanged
    from headwater.store import open_store

    records: list[Any] = []
    for index, (flow_name, run_name, type_, state_name) in enumerate((
            ("a", "a-done", "COMPLETED", "Completed"), ("b", "b-skipped", "COMPLETED", "Skipped"),
            ("c", "c-retrying", "RUNNING", "Retrying"), ("a", "a-failed", "FAILED", "Failed"))):
        run_id, at = f"00000000-0000-4000-8000-00000000000{index}", T0 + index * 10
        records += [FlowRunCreated(run_id, flow_name, run_name, {}, [], None, at),
                    StateChanged(run_id, False, type_, state_name, None, at + 1, None)]
    store = open_store(get_settings())
    try:
        store.history.write(records)
    finally:
        store.close()


def _names(runner: CliRunner, *args: str) -> list[str]:
    return [r["name"] for r in _json(runner, "flow-run", "ls", *args)]


def test_flow_run_ls_flow_name_repeatable(runner: CliRunner, runs: None) -> None:
    assert _names(runner, "--flow-name", "a") == ["a-failed", "a-done"]
    assert _names(runner, "--flow-name", "a", "--flow-name", "b") == ["a-failed", "b-skipped", "a-done"]
    assert _names(runner, "--flow", "c") == ["c-retrying"]  # headwater's older name
    assert _names(runner, "--flow-name", "zzz") == []


def test_flow_run_ls_state_is_a_state_name(runner: CliRunner, runs: None) -> None:
    assert _names(runner, "--state", "completed") == ["a-done"]  # not the Skipped run of type COMPLETED
    assert _names(runner, "--state", "Skipped") == ["b-skipped"]
    assert _names(runner, "--state", "RETRYING", "-s", "failed") == ["a-failed", "c-retrying"]
    assert _names(runner, "--state", "Running") == []


def test_flow_run_ls_unknown_state_name_is_a_note(runner: CliRunner, runs: None) -> None:
    result = runner.invoke(app, ["flow-run", "ls", "--state", "Whatever", "-o", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert "'Whatever' is not a standard state name" in result.stderr


def test_flow_run_ls_state_type_repeatable(runner: CliRunner, runs: None) -> None:
    assert _names(runner, "--state-type", "COMPLETED") == ["b-skipped", "a-done"]
    assert _names(runner, "--state-type", "running", "--state-type", "FAILED") == ["a-failed", "c-retrying"]
    assert _names(runner, "--state-type", "COMPLETED", "--state", "Skipped", "--flow-name", "b") == ["b-skipped"]


def test_flow_run_ls_limit(runner: CliRunner, runs: None) -> None:
    assert _names(runner, "--limit", "2") == ["a-failed", "c-retrying"]
    assert _names(runner, "-n", "1", "--state-type", "COMPLETED") == ["b-skipped"]


# -- flow-run logs --head --tail --num-logs --reverse -----------------------------------


@pytest.fixture
def chatty(home: Path) -> str:
    """A flow run 'chatty' with 30 INFO lines 'line 1' .. 'line 30'; returns its id."""
    from headwater.core.settings import get_settings
    from headwater.orchestrator.records import FlowRunCreated, LogEmitted
    from headwater.store import open_store

    run_id = "11111111-0000-4000-8000-000000000000"
    records: list[Any] = [FlowRunCreated(run_id, "talk", "chatty", {}, [], None, T0)]
    records += [LogEmitted(run_id, None, 20, "headwater.flow_runs", f"line {i}", T0 + i) for i in range(1, 31)]
    store = open_store(get_settings())
    try:
        store.history.write(records)
    finally:
        store.close()
    return run_id


def _log_numbers(runner: CliRunner, *args: str) -> list[int]:
    out = _ok(runner, "flow-run", "logs", "chatty", *args)
    return [int(line.rsplit("line ", 1)[1]) for line in out.splitlines()]


def test_flow_run_logs_all_by_default(runner: CliRunner, chatty: str) -> None:
    assert _log_numbers(runner) == list(range(1, 31))


def test_flow_run_logs_head(runner: CliRunner, chatty: str) -> None:
    assert _log_numbers(runner, "--head") == list(range(1, 21))
    assert _log_numbers(runner, "-h", "-n", "3") == [1, 2, 3]
    assert _log_numbers(runner, "--num-logs", "2") == [1, 2]  # alone, the first N as in Prefect


def test_flow_run_logs_tail(runner: CliRunner, chatty: str) -> None:
    assert _log_numbers(runner, "--tail") == list(range(11, 31))
    assert _log_numbers(runner, "-t", "-n", "3") == [28, 29, 30]
    assert _log_numbers(runner, "--tail", "--num-logs", "3", "--reverse") == [30, 29, 28]


def test_flow_run_logs_reverse(runner: CliRunner, chatty: str) -> None:
    assert _log_numbers(runner, "--reverse") == list(range(30, 0, -1))
    assert _log_numbers(runner, "-r", "--head", "-n", "2") == [30, 29]


def test_flow_run_logs_tail_json(runner: CliRunner, chatty: str) -> None:
    lines = _json(runner, "flow-run", "logs", chatty, "--tail", "-n", "2")
    assert [line["message"] for line in lines] == ["line 29", "line 30"]


def test_flow_run_logs_head_and_tail_together(runner: CliRunner, chatty: str) -> None:
    message = _usage_error(runner, "flow-run", "logs", "chatty", "--head", "--tail")
    assert "--head or --tail, not both" in message


@pytest.mark.parametrize("args, shown", [
    (["worker", "start"], "The worker's name [default: host-pid]."),
    (["server", "start"], "Port to bind [default: 4200]."),
    (["flow-run", "logs"], "show [default: 20]"),
    (["deploy"], "run it [default: default]."),
])
def test_help_keeps_bracketed_defaults(args: list[str], shown: str) -> None:
    # Rich reads "[...]" as markup and would drop these from the help text unless escaped.
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert shown in result.stdout
