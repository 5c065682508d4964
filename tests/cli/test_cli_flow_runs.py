"""`headwater flow-run ls|inspect|logs` on history written through the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from typer.testing import CliRunner

from headwater.cli import app

if TYPE_CHECKING:
    from .conftest import History


def _json(runner: CliRunner, *args: str) -> object:
    result = runner.invoke(app, [*args, "--output", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ls_table_lists_newest_first(runner: CliRunner, history: History) -> None:
    result = runner.invoke(app, ["flow-run", "ls"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "FLOW", "STATE", "START", "DURATION"]
    assert "sad-panda" in lines[1] and "Failed" in lines[1] and history.failed_id[-8:] in lines[1]
    assert "brave-otter" in lines[2] and "pipeline" in lines[2] and "Completed" in lines[2]
    assert "3.9s" in lines[2]  # Running at T0+0.1, Completed at T0+4


def test_ls_json_is_a_list_of_flow_run_objects(runner: CliRunner, history: History) -> None:
    runs = _json(runner, "flow-run", "ls")
    assert isinstance(runs, list)
    assert [run["name"] for run in runs] == ["sad-panda", "brave-otter"]
    pipeline = runs[1]
    assert pipeline["id"] == history.pipeline_id
    assert pipeline["flow_name"] == "pipeline"
    assert pipeline["parameters"] == {"n": 2, "label": "x"}
    assert pipeline["tags"] == ["nightly"]
    assert pipeline["state"]["type"] == "COMPLETED"
    assert pipeline["state"]["timestamp"].startswith("2023-11-14T22:13:24")
    assert pipeline["duration_s"] == 3.9


def test_ls_filters_by_state_flow_and_limit(runner: CliRunner, history: History) -> None:
    assert [r["name"] for r in _json(runner, "flow-run", "ls", "--state", "failed")] == ["sad-panda"]
    both = _json(runner, "flow-run", "ls", "-s", "FAILED", "-s", "COMPLETED")
    assert len(both) == 2
    assert [r["name"] for r in _json(runner, "flow-run", "ls", "--flow", "pipeline")] == ["brave-otter"]
    assert [r["name"] for r in _json(runner, "flow-run", "ls", "--limit", "1")] == ["sad-panda"]
    assert _json(runner, "flow-run", "ls", "--state", "RUNNING") == []


def test_ls_with_no_runs_says_so(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(app, ["flow-run", "ls"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "No flow runs found."
    assert _json(runner, "flow-run", "ls") == []


def test_ls_rejects_unknown_state_type_as_usage_error(runner: CliRunner, history: History) -> None:
    result = runner.invoke(app, ["flow-run", "ls", "--state-type", "DONE"])
    assert result.exit_code == 2
    assert "unknown state type 'DONE'" in result.stderr
    assert "COMPLETED" in result.stderr
    assert "Traceback" not in result.output


def test_inspect_json_has_the_contract_fields(runner: CliRunner, history: History) -> None:
    run = _json(runner, "flow-run", "inspect", history.pipeline_id)
    assert isinstance(run, dict)
    for key in ("id", "name", "flow_name", "state", "parameters", "tags", "start_time", "end_time", "duration_s"):
        assert key in run
    assert run["id"] == history.pipeline_id
    assert set(run["state"]) >= {"type", "name", "message", "timestamp"}
    assert run["start_time"].startswith("2023-11-14T22:13:20.1")
    assert [s["type"] for s in run["states"]] == ["PENDING", "RUNNING", "COMPLETED"]
    task_runs = {t["name"]: t for t in run["task_runs"]}
    assert set(task_runs) == {"fetch-0a1", "fetch-b2c", "combine-9f8"}
    combine = task_runs["combine-9f8"]
    for key in ("id", "name", "task_name", "state", "start_time", "end_time", "duration_s", "upstream"):
        assert key in combine
    assert combine["task_name"] == "combine"
    assert sorted(combine["upstream"]) == sorted(history.fetch_ids)
    assert task_runs["fetch-0a1"]["upstream"] == []
    assert combine["state"]["name"] == "Completed"


def test_inspect_accepts_prefix_and_name(runner: CliRunner, history: History) -> None:
    by_prefix = _json(runner, "flow-run", "inspect", history.failed_id[:8])
    by_suffix = _json(runner, "flow-run", "inspect", history.failed_id[-8:])
    assert by_suffix == by_prefix
    by_name = _json(runner, "flow-run", "inspect", "sad-panda")
    assert by_prefix == by_name
    assert by_name["state"]["message"] == "Flow run encountered an exception: ValueError: boom"  # type: ignore[index]


def test_inspect_table_shows_state_and_task_graph(runner: CliRunner, history: History) -> None:
    result = runner.invoke(app, ["flow-run", "inspect", "brave-otter"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert history.pipeline_id in out
    assert "Completed (COMPLETED)" in out
    assert '{"n": 2, "label": "x"}' in out
    assert "Task runs (3)" in out
    combine_line = next(line for line in out.splitlines() if "combine-9f8" in line)
    assert "fetch-0a1, fetch-b2c" in combine_line


def test_logs_prints_run_lines_in_console_format(runner: CliRunner, history: History) -> None:
    result = runner.invoke(app, ["flow-run", "logs", "brave-otter"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 5
    assert lines[0].endswith("| INFO    | Flow run 'brave-otter' - Created flow run 'brave-otter'")
    assert lines[1].endswith("| DEBUG   | Flow run 'brave-otter' - a debug line")
    assert lines[2].endswith("| WARNING | Task run 'fetch-0a1' - warning from fetch-0a1")
    assert lines[4].endswith("Finished in state Completed()")


def test_logs_level_filters(runner: CliRunner, history: History) -> None:
    result = runner.invoke(app, ["flow-run", "logs", history.pipeline_id, "--level", "warning"])
    assert result.exit_code == 0, result.output
    assert [line.rsplit(" - ", 1)[1] for line in result.stdout.splitlines()] == [
        "warning from fetch-0a1",
        "warning from fetch-b2c",
    ]
    result = runner.invoke(app, ["flow-run", "logs", history.pipeline_id, "--level", "CRITICAL"])
    assert result.exit_code == 0
    assert result.stdout.strip() == "No logs at CRITICAL or above for flow run 'brave-otter'."
    result = runner.invoke(app, ["flow-run", "logs", history.pipeline_id, "--level", "LOUD"])
    assert result.exit_code == 2
    assert "unknown log level 'LOUD'" in result.stderr


def test_logs_json(runner: CliRunner, history: History) -> None:
    lines = _json(runner, "flow-run", "logs", "sad-panda")
    assert lines == [
        {
            "flow_run_id": history.failed_id,
            "task_run_id": None,
            "level": 40,
            "logger": "headwater.flow_runs",
            "message": "ValueError: boom",
            "timestamp": "2023-11-14T22:15:01Z",
        }
    ]


def test_unknown_flow_run_is_one_error_line(runner: CliRunner, history: History) -> None:
    for command in (["inspect"], ["logs"], ["inspect", "--output", "json"]):
        result = runner.invoke(app, ["flow-run", *command[:1], "no-such-run", *command[1:]])
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr.startswith("Error: ")
        assert result.stderr.count("\n") == 1
        assert "no-such-run" in result.stderr


def test_corrupt_database_is_one_error_line(runner: CliRunner, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "headwater.db").write_bytes(b"this is not a sqlite database at all" * 200)
    for command in (["flow-run", "ls"], ["flow-run", "inspect", "abcd"], ["database", "upgrade"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stderr.startswith("Error: ")
        assert result.stderr.count("\n") == 1
        assert "headwater.db" in result.stderr
        assert "Traceback" not in result.output
