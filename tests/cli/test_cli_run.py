"""`headwater run`: parameters, exit codes and errors, in process and as the real console script."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from headwater.cli import app
from headwater.cli.run import parse_parameters
from headwater.exceptions import HeadwaterError

from .conftest import HEADWATER_SCRIPT

FLOW_FILE = """\
from __future__ import annotations

from headwater import flow, task
from headwater.states import Failed


@task
def fetch(x: int) -> dict:
    return {"value": x * 10}


@task
def combine(a: dict, b: dict) -> int:
    return a["value"] + b["value"]


@flow
def pipeline(n: int, label: str = "run", items: list[int] | None = None) -> int:
    a = fetch(n)
    b = fetch(n + 1)
    return combine(a, b)


@flow
async def async_pipeline(n: int = 1) -> int:
    return n


@flow
def broken() -> None:
    raise ValueError("boom")


@flow
def gives_up():
    return Failed(message="I give up")


def not_a_flow() -> None:
    pass


if __name__ == "__main__":
    raise SystemExit("the __main__ block must not run")
"""


@pytest.fixture(autouse=True)
def isolated_imports(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Undo what loading entrypoints in process does to sys.path and sys.modules."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    before = set(sys.modules)
    yield
    # Only the modules loaded from test files: headwater's own stay, so classes keep their identity.
    temp = str(tmp_path_factory.getbasetemp())
    for name in set(sys.modules) - before:
        if (getattr(sys.modules[name], "__file__", None) or "").startswith(temp):
            del sys.modules[name]


@pytest.fixture
def flow_file(tmp_path: Path) -> Path:
    path = tmp_path / "run_flows.py"
    path.write_text(FLOW_FILE)
    return path


def _headwater(env: dict[str, str], *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(HEADWATER_SCRIPT), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=60
    )


def _one_error_line(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, stderr
    return errors[0]


# --- parameter parsing -------------------------------------------------------------------


def _signature(source: str) -> inspect.Signature:
    namespace: dict[str, object] = {}
    exec(textwrap.dedent(source), namespace)
    return inspect.signature(namespace["f"], eval_str=True)  # type: ignore[arg-type]


def test_values_are_json_when_they_parse_else_text() -> None:
    signature = _signature("def f(a, b, c, d, e, g): pass")
    assert parse_parameters(["a=3", "b=[1, 2]", 'c={"k": null}', "d=hello", "e=true", "g="], signature) == {
        "a": 3,
        "b": [1, 2],
        "c": {"k": None},
        "d": "hello",
        "e": True,
        "g": "",
    }


def test_str_parameters_keep_text_as_typed() -> None:
    signature = _signature("from typing import Optional\ndef f(a: str, b: Optional[str], c: 'str | None', d: int): pass")
    assert parse_parameters(["a=007", "b=1", "c=true", "d=007"], signature) == {
        "a": "007",
        "b": "1",
        "c": "true",
        "d": "007",  # not JSON; the flow's validation reports it
    }


def test_value_may_contain_equals_signs() -> None:
    assert parse_parameters(["q=a=b"], None) == {"q": "a=b"}


@pytest.mark.parametrize(("pair", "problem"), [("n", "is not KEY=VALUE"), ("=3", "is not KEY=VALUE")])
def test_malformed_pair_is_a_usage_error(pair: str, problem: str) -> None:
    with pytest.raises(typer.BadParameter, match=problem):
        parse_parameters([pair], None)


def test_repeated_key_is_a_usage_error() -> None:
    with pytest.raises(typer.BadParameter, match="parameter 'n' is given twice"):
        parse_parameters(["n=1", "n=2"], None)


def test_unknown_and_missing_parameters_are_named() -> None:
    signature = _signature("def f(n: int, label: str = 'x'): pass")
    with pytest.raises(HeadwaterError, match="the flow has no parameter 'm'; its parameters are: n, label"):
        parse_parameters(["n=1", "m=2"], signature)
    with pytest.raises(HeadwaterError, match="missing required flow parameter 'n'; pass it with -p n=VALUE"):
        parse_parameters(["label=y"], signature)
    assert parse_parameters(["anything=1"], _signature("def f(**kw): pass")) == {"anything": 1}


# --- in process (CliRunner): errors found before any flow runs ------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["missing.py:pipeline"], "Error: no such file: missing.py"),
        (["{file}:pipelin"], "has no attribute 'pipelin' (flows found: async_pipeline, broken, gives_up, pipeline)"),
        (["{file}:not_a_flow"], "'not_a_flow' in {file} is a plain function, not a flow"),
        (["{file}"], "names no flow function"),
        (["{file}:pipeline", "-p", "m=1", "-p", "n=1"], "the flow has no parameter 'm'"),
        (["{file}:pipeline"], "missing required flow parameter 'n'"),
    ],
)
def test_bad_entrypoint_or_parameters_is_one_error_line(
    runner: CliRunner, home: Path, flow_file: Path, args: list[str], expected: str
) -> None:
    result = runner.invoke(app, ["run", *(a.format(file=flow_file) for a in args)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    assert result.stderr.count("\n") == 1
    assert expected.format(file=flow_file) in result.stderr
    assert "Traceback" not in result.output


def test_syntax_error_in_flow_file(runner: CliRunner, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad_syntax_flow.py"
    path.write_text("from headwater import flow\n\n@flow\ndef f(:\n    pass\n")
    result = runner.invoke(app, ["run", f"{path}:f"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot load {path}: SyntaxError:")
    assert "(line 4): def f(:" in result.stderr


def test_malformed_parameter_is_a_usage_error(runner: CliRunner, home: Path, flow_file: Path) -> None:
    result = runner.invoke(app, ["run", f"{flow_file}:pipeline", "-p", "n"])
    assert result.exit_code == 2
    assert "'n' is not KEY=VALUE" in result.stderr


# --- the real console script ---------------------------------------------------------------


def test_run_end_to_end_then_inspect_its_task_graph(script_env: dict[str, str], flow_file: Path) -> None:
    done = _headwater(script_env, "run", f"{flow_file}:pipeline", "-p", "n=2", "-p", "label=007", "-p", "items=[1,2]")
    assert done.returncode == 0, done.stderr
    assert "must not run" not in done.stderr

    listed = _headwater(script_env, "flow-run", "ls", "--output", "json")
    assert listed.returncode == 0, listed.stderr
    (run,) = json.loads(listed.stdout)
    assert run["flow_name"] == "pipeline"
    assert run["parameters"] == {"n": 2, "label": "007", "items": [1, 2]}
    assert run["state"]["type"] == "COMPLETED"

    inspected = _headwater(script_env, "flow-run", "inspect", run["id"][:8], "--output", "json")
    assert inspected.returncode == 0, inspected.stderr
    document = json.loads(inspected.stdout)
    assert document["id"] == run["id"]
    task_runs = document["task_runs"]
    assert sorted(t["task_name"] for t in task_runs) == ["combine", "fetch", "fetch"]
    assert all(t["state"]["type"] == "COMPLETED" for t in task_runs)
    assert document["end_time"] >= document["start_time"]


def test_run_records_upstream_task_runs(script_env: dict[str, str], flow_file: Path) -> None:
    done = _headwater(script_env, "run", f"{flow_file}:pipeline", "-p", "n=2")
    assert done.returncode == 0, done.stderr
    inspected = _headwater(script_env, "flow-run", "inspect", "--output", "json", _only_run_id(script_env))
    task_runs = json.loads(inspected.stdout)["task_runs"]
    fetch_ids = sorted(t["id"] for t in task_runs if t["task_name"] == "fetch")
    (combine,) = (t for t in task_runs if t["task_name"] == "combine")
    assert sorted(combine["upstream"]) == fetch_ids


def _only_run_id(env: dict[str, str]) -> str:
    (run,) = json.loads(_headwater(env, "flow-run", "ls", "--output", "json").stdout)
    return str(run["id"])


def test_run_of_an_async_flow(script_env: dict[str, str], flow_file: Path) -> None:
    done = _headwater(script_env, "run", f"{flow_file}:async_pipeline", "-p", "n=5")
    assert done.returncode == 0, done.stderr
    listed = json.loads(_headwater(script_env, "flow-run", "ls", "--output", "json").stdout)
    assert [(r["flow_name"], r["state"]["type"]) for r in listed] == [("async-pipeline", "COMPLETED")]


def test_failed_flow_exits_1_with_one_error_line(script_env: dict[str, str], flow_file: Path) -> None:
    failed = _headwater(script_env, "run", f"{flow_file}:broken")
    assert failed.returncode == 1
    assert _one_error_line(failed.stderr) == "Error: flow run of 'broken' failed: ValueError: boom"
    assert failed.stderr.rstrip().endswith("Error: flow run of 'broken' failed: ValueError: boom")
    listed = json.loads(_headwater(script_env, "flow-run", "ls", "--output", "json").stdout)
    assert [(r["flow_name"], r["state"]["type"]) for r in listed] == [("broken", "FAILED")]


def test_flow_returning_a_failed_state_exits_1(script_env: dict[str, str], flow_file: Path) -> None:
    failed = _headwater(script_env, "run", f"{flow_file}:gives_up")
    assert failed.returncode == 1
    assert _one_error_line(failed.stderr) == "Error: flow run of 'gives-up' failed: I give up"


def test_invalid_parameter_value_names_the_parameter(script_env: dict[str, str], flow_file: Path) -> None:
    failed = _headwater(script_env, "run", f"{flow_file}:pipeline", "-p", "n=abc")
    assert failed.returncode == 1
    line = _one_error_line(failed.stderr)
    assert "parameter 'n'" in line and "abc" in line
    assert "Traceback" not in failed.stderr
    (run,) = json.loads(_headwater(script_env, "flow-run", "ls", "--output", "json").stdout)
    assert run["state"]["type"] == "FAILED"


def test_module_entrypoint_from_the_current_directory(script_env: dict[str, str], flow_file: Path) -> None:
    done = _headwater(script_env, "run", "run_flows:pipeline", "-p", "n=1", cwd=flow_file.parent)
    assert done.returncode == 0, done.stderr


def test_bad_entrypoint_in_the_console_script(script_env: dict[str, str], tmp_path: Path) -> None:
    missing = _headwater(script_env, "run", "nowhere/flows.py:main", cwd=tmp_path)
    assert missing.returncode == 1
    assert missing.stderr == "Error: no such file: nowhere/flows.py\n"
    usage = _headwater(script_env, "run")
    assert usage.returncode == 2
