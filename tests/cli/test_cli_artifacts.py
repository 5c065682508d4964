"""`headwater artifact ls|inspect|delete`, embedded and against a server."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
from support import ServerProcess
from typer.testing import CliRunner

from headwater.cli import app
from headwater.client.orchestration import SyncPrefectClient
from headwater.client.schemas.actions import ArtifactCreate

from .conftest import HEADWATER_SCRIPT


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["artifact", *args])
    return result.exit_code, result.stdout, result.stderr


def _make(*artifacts: ArtifactCreate) -> list[str]:
    with SyncPrefectClient() as client:
        return [str(client.create_artifact(a).id) for a in artifacts]


def test_ls_inspect_delete(runner: CliRunner, home: Path) -> None:
    assert run(runner, "ls")[1].startswith("No artifacts.")
    ids = _make(ArtifactCreate(key="report", type="markdown", data="# v1"),
                ArtifactCreate(key="report", type="markdown", data="# v2", description="second"),
                ArtifactCreate(key="progress", type="progress", data=40.0),
                ArtifactCreate(type="markdown", data="no key"))
    code, out, _ = run(runner, "ls")
    assert code == 0 and out.splitlines()[0].split() == ["ID", "KEY", "TYPE", "DATA", "UPDATED"]
    rows = [line.split() for line in out.splitlines()[1:]]
    assert [(r[0], r[1], r[3]) for r in rows] == [(ids[2], "progress", "40"), (ids[1], "report", "#")]
    every = json.loads(run(runner, "ls", "--all", "-o", "json")[1])
    assert sorted(a["id"] for a in every) == sorted(ids)
    assert len(json.loads(run(runner, "ls", "--limit", "1", "-o", "json")[1])) == 1

    versions = json.loads(run(runner, "inspect", "report", "-o", "json")[1])
    assert [v["data"] for v in versions] == ["# v2", "# v1"]
    code, out, _ = run(runner, "inspect", "report", "--limit", "1")
    assert code == 0 and "Description:  second" in out and "Data:\n# v2" in out and "# v1" not in out

    assert run(runner, "delete", "--id", ids[1]) == (0, f"Deleted artifact with id '{ids[1]}'.\n", "")
    assert [v["data"] for v in json.loads(run(runner, "inspect", "report", "-o", "json")[1])] == ["# v1"]
    assert run(runner, "delete", "report") == (0, "Deleted 1 artifact(s) with key 'report'.\n", "")
    assert json.loads(run(runner, "ls", "-o", "json")[1])[0]["key"] == "progress"


def test_mistakes_are_one_line_errors(runner: CliRunner, home: Path) -> None:
    code, _, err = run(runner, "inspect", "missing")
    assert (code, err) == (1, "Error: Artifact 'missing' not found. List the artifacts with "
                              "`headwater artifact ls`.\n")
    assert run(runner, "delete", "missing")[2] == "Error: Artifact with key 'missing' not found!\n"
    code, _, err = run(runner, "delete", "--id", "00000000-0000-0000-0000-000000000000")
    assert (code, err) == (1, "Error: Artifact with id '00000000-0000-0000-0000-000000000000' not found!\n")
    code, _, err = run(runner, "delete")
    assert code == 1 and err.startswith("Error: Give the artifact's KEY")
    code, _, err = run(runner, "delete", "--id", "not-a-uuid")
    assert code == 2 and "Traceback" not in err


def test_the_commands_work_against_a_server(tmp_path: Path, script_env: dict[str, str]) -> None:
    server = ServerProcess(tmp_path / "server", HEADWATER_LOGGING_TO_CONSOLE="false").start()
    try:
        env = {**script_env, "HEADWATER_API_URL": server.url}

        def cli(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([str(HEADWATER_SCRIPT), "artifact", *args], env=env, capture_output=True,
                                  text=True, timeout=60)

        made = httpx.post(server.url + "/artifacts/", json={"key": "remote", "type": "markdown", "data": "hi"})
        assert made.status_code == 201
        listed = json.loads(cli("ls", "-o", "json").stdout)
        assert [(a["key"], a["data"]) for a in listed] == [("remote", "hi")]
        assert cli("delete", "remote").returncode == 0
        assert json.loads(cli("ls", "-o", "json").stdout) == []
    finally:
        server.stop()
    assert not (Path(script_env["HEADWATER_HOME"]) / "headwater.db").exists()  # nothing embedded was used
