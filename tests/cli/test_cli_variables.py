"""`headwater variable ls|inspect|get|set|unset`, embedded and against a server."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from support import ServerProcess
from typer.testing import CliRunner

from headwater.cli import app
from headwater.cli.variables import parse_value

from .conftest import HEADWATER_SCRIPT


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["variable", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(("text", "value"), [
    ("3", 3), ("1.5", 1.5), ("true", True), ("null", None), ('"3"', "3"), ("[1, 2]", [1, 2]),
    ('{"a": {"b": 1}}', {"a": {"b": 1}}), ("plain words", "plain words"), ("{not json", "{not json"),
])
def test_values_are_json_when_they_parse(text: str, value: object) -> None:
    assert parse_value(text) == value


def test_set_get_inspect_ls_unset(runner: CliRunner, home: Path) -> None:
    assert run(runner, "ls")[1].startswith("No variables.")
    assert run(runner, "set", "region", "eu-west-1", "--tag", "config", "--tag", "prod") == (
        0, "Set variable 'region'.\n", "")
    assert run(runner, "set", "sizes", "[1, 2]")[0] == 0
    assert run(runner, "get", "region")[1] == '"eu-west-1"\n'
    assert run(runner, "get", "sizes")[1] == "[1, 2]\n"

    code, out, err = run(runner, "set", "region", "us-east-1")
    assert (code, err) == (1, "Error: Variable 'region' already exists. Use `--overwrite` to update it.\n")
    assert run(runner, "set", "region", "us-east-1", "--overwrite")[0] == 0
    assert run(runner, "get", "region")[1] == '"us-east-1"\n'

    code, out, _ = run(runner, "ls")
    assert code == 0 and out.splitlines()[0].split() == ["NAME", "VALUE", "TAGS", "UPDATED"]
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["region", "sizes"]
    listed = json.loads(run(runner, "ls", "-o", "json")[1])
    assert [(v["name"], v["value"], v["tags"]) for v in listed] == [("region", "us-east-1", []), ("sizes", [1, 2], [])]
    assert len(json.loads(run(runner, "ls", "--limit", "1", "-o", "json")[1])) == 1

    inspected = json.loads(run(runner, "inspect", "sizes", "-o", "json")[1])
    assert {"id", "created", "updated"} <= inspected.keys() and inspected["value"] == [1, 2]
    assert "Value:\n[\n  1,\n  2\n]" in run(runner, "inspect", "sizes")[1]

    assert run(runner, "unset", "sizes") == (0, "Unset variable 'sizes'.\n", "")
    assert run(runner, "delete", "region")[0] == 0
    assert run(runner, "ls", "-o", "json")[1].strip() == "[]"


def test_mistakes_are_one_line_errors(runner: CliRunner, home: Path) -> None:
    for verb in ("get", "inspect", "unset"):
        code, _, err = run(runner, verb, "missing")
        assert (code, err) == (1, "Error: Variable 'missing' not found. List the variables with "
                                  "`headwater variable ls`.\n")
    code, _, err = run(runner, "set", "Bad Name", "1")
    assert code == 2 and "is not valid" in err and "Traceback" not in err
    code, _, err = run(runner, "set", "big", json.dumps("x" * 1_000_001))
    assert code == 1 and err.startswith("Error: the value of variable 'big' is 1,000,003 bytes") and "\n" == err[-1]


def test_the_commands_work_against_a_server(tmp_path: Path, script_env: dict[str, str]) -> None:
    server = ServerProcess(tmp_path / "server", HEADWATER_LOGGING_TO_CONSOLE="false").start()
    try:
        env = {**script_env, "HEADWATER_API_URL": server.url}

        def cli(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([str(HEADWATER_SCRIPT), "variable", *args], env=env, capture_output=True,
                                  text=True, timeout=60)

        assert cli("set", "remote", '{"k": 1}').returncode == 0
        assert cli("get", "remote").stdout == '{"k": 1}\n'
        assert cli("set", "remote", "2").returncode == 1
        missing = cli("get", "nope")
        assert missing.returncode == 1 and missing.stderr.startswith("Error: Variable 'nope' not found.")
        assert cli("unset", "remote").returncode == 0
    finally:
        server.stop()
    assert not (Path(script_env["HEADWATER_HOME"]) / "headwater.db").exists()  # nothing embedded was used
