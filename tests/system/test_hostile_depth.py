"""JSON nested too deep (issue 19 item 8): refused with a clear 422 naming the limit on
every path that takes JSON (the API, the CLI's `-p`), bounded in what the engine
records, and harmless when read back even if a deeper value is already stored.

The limit is `HEADWATER_JSON_MAX_DEPTH` (default 100). Real server processes on SQLite
and PostgreSQL; a value 300 deep was stored by older versions (it broke every run list
from then on), so the read test writes one straight into the database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from support import ServerProcess, child_env

HEADWATER = str(Path(sys.executable).with_name("headwater"))


def nested(depth: int) -> Any:
    """A JSON value `depth` levels deep: {"a": [{"a": [... 1 ...]}]}."""
    value: Any = 1
    for i in range(depth):
        value = {"a": value} if i % 2 else [value]
    return value


@pytest.fixture(params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    env = {}
    if request.param == "postgres":
        env["HEADWATER_DATABASE_URL"] = str(request.getfixturevalue("postgres_url"))
    started = ServerProcess(tmp_path / "home", **env).start()
    yield started
    started.stop()


def _db_url(server: ServerProcess) -> str:
    return server.env.get("HEADWATER_DATABASE_URL") or f"sqlite:///{server.env['HEADWATER_HOME']}/headwater.db"


def test_the_api_refuses_json_nested_too_deep_and_stores_nothing(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as api:
        before = api.post("/flow_runs/count", json={}).json()
        reply = api.post("/flow_runs/", json={"flow_name": "deep", "parameters": {"x": nested(300)}})
        assert reply.status_code == 422, reply.text
        assert "100" in reply.json()["detail"] and "HEADWATER_JSON_MAX_DEPTH" in reply.json()["detail"]
        assert api.post("/flow_runs/count", json={}).json() == before
        for path, body in [("/variables/", {"name": "deep", "value": nested(150)}),
                           ("/flow_runs/filter", {"flow_runs": {"name": {"any_": nested(120)}}})]:
            refused = api.post(path, json=body)
            assert refused.status_code == 422 and "HEADWATER_JSON_MAX_DEPTH" in refused.text, (path, refused.text)
        # Within the limit: taken and read back whole.
        fine = api.post("/flow_runs/", json={"flow_name": "deep", "parameters": {"x": nested(90)}})
        assert fine.status_code == 201, fine.text
        assert api.get(f"/flow_runs/{fine.json()['id']}").json()["parameters"] == {"x": nested(90)}
        assert api.post("/flow_runs/filter", json={}).status_code == 200


def test_a_stored_value_nested_too_deep_does_not_break_reads(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as api:
        run = api.post("/flow_runs/", json={"flow_name": "deep", "parameters": {"x": 1}})
        assert run.status_code == 201, run.text
        run_id = run.json()["id"]
        engine = create_engine(_db_url(server))
        with engine.begin() as conn:  # as an older version stored it
            conn.execute(text("UPDATE flow_runs SET parameters = :p WHERE id = :id"),
                         {"p": json.dumps({"x": nested(300)}), "id": run_id})
        engine.dispose()
        listed = api.post("/flow_runs/filter", json={})
        assert listed.status_code == 200, listed.text
        shown = api.get(f"/flow_runs/{run_id}")
        assert shown.status_code == 200, shown.text
        assert "nested deeper than" in json.dumps(shown.json()["parameters"])
        assert api.get("/runs").status_code in (200, 404)  # the UI's list page, where there is one
        ui = httpx.get(f"{server.base_url}/", timeout=30, follow_redirects=True)
        assert ui.status_code == 200, ui.text[:500]
    # The CLI reads the same database (embedded): no traceback.
    env = child_env(Path(server.env["HEADWATER_HOME"]))
    if "HEADWATER_DATABASE_URL" in server.env:
        env["HEADWATER_DATABASE_URL"] = server.env["HEADWATER_DATABASE_URL"]
    listed_cli = subprocess.run([HEADWATER, "flow-run", "ls", "--output", "json"], env=env, capture_output=True,
                                text=True, timeout=60)
    assert listed_cli.returncode == 0, listed_cli.stderr
    assert "Traceback" not in listed_cli.stderr
    assert run_id in listed_cli.stdout


def test_the_cli_refuses_a_parameter_nested_too_deep(tmp_path: Path) -> None:
    script = tmp_path / "flow.py"
    script.write_text("from headwater import flow\n\n@flow\ndef deep(x: object = None) -> None:\n    pass\n")
    env = child_env(tmp_path / "home")
    result = subprocess.run([HEADWATER, "run", f"{script}:deep", "-p", f"x={json.dumps(nested(300))}"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "100" in result.stderr and "HEADWATER_JSON_MAX_DEPTH" in result.stderr


def test_the_engine_records_a_parameter_nested_too_deep_as_a_note(tmp_path: Path) -> None:
    script = tmp_path / "flow.py"
    script.write_text(
        "from headwater import flow\n"
        "@flow\ndef deep(x: object) -> int:\n    return 7\n"
        "value = 1\nfor _ in range(300):\n    value = [value]\n"
        "print(deep(value))\n")
    env = child_env(tmp_path / "home")
    ran = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0 and ran.stdout.strip() == "7", ran.stderr  # the flow got its real argument
    listed = subprocess.run([HEADWATER, "flow-run", "ls", "--output", "json"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    shown = subprocess.run([HEADWATER, "flow-run", "inspect", json.loads(listed.stdout)[0]["id"], "--output",
                            "json"], env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "HEADWATER_JSON_MAX_DEPTH" in json.dumps(json.loads(shown.stdout)["parameters"])


def test_the_setting_is_bounded() -> None:
    env = dict(os.environ, HEADWATER_JSON_MAX_DEPTH="5000")
    result = subprocess.run([HEADWATER, "flow-run", "ls"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "json_max_depth" in result.stderr.lower() and "Traceback" not in result.stderr
