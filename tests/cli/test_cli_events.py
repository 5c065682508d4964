"""`headwater event ls` and `headwater event stream --run-once` on the embedded database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from headwater.cli.app import app

from .conftest import HEADWATER_SCRIPT

FLOW = """
from headwater import flow
from headwater.events import emit_event

@flow
def hello():
    emit_event(event="greeting.sent", resource={"prefect.resource.id": "greeting.1"})

hello()
"""


def test_event_ls_and_stream(home: Path, runner: CliRunner, script_env: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / "hello.py"
    script.write_text(FLOW)
    subprocess.run([sys.executable, str(script)], env=script_env, check=True, capture_output=True, timeout=120)
    listed = runner.invoke(app, ["event", "ls", "-e", "headwater.flow-run."])
    assert listed.exit_code == 0, listed.output
    assert [line.split()[1] for line in listed.output.splitlines() if "heartbeat" not in line] == [
        "prefect.flow-run.Completed", "prefect.flow-run.Running", "prefect.flow-run.Pending"]
    mine = runner.invoke(app, ["event", "ls", "-r", "greeting.*", "--format", "json"])
    assert '"event":"greeting.sent"' in mine.output
    bad = runner.invoke(app, ["event", "ls", "--since", "soon"])
    assert bad.exit_code == 2 and "neither a time" in bad.output

    # --run-once: the stream prints the first event stored after it starts, then exits.
    stream = subprocess.Popen([str(HEADWATER_SCRIPT), "event", "stream", "--run-once", "-e", "ping"],
                              env=script_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert stream.stdout is not None
        assert "Subscribing" in stream.stdout.readline()
        emit = "from headwater.events import emit_event; emit_event(event='ping', resource={'prefect.resource.id': 'p'})"
        while stream.poll() is None:  # emitted until the stream, open by now or soon, sees one
            subprocess.run([sys.executable, "-c", emit], env=script_env, check=True, timeout=60)
            try:
                out, _ = stream.communicate(timeout=2)
                break
            except subprocess.TimeoutExpired:
                continue
        else:
            out = stream.stdout.read()
        assert stream.returncode == 0 and '"event":"ping"' in out
    finally:
        if stream.poll() is None:
            stream.kill()
