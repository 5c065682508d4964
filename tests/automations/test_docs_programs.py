"""Programs from Prefect's automation docs that need a server's trigger evaluation (an
embedded run stores automations but evaluates none, docs/automations.md), so they are
not in the parity suite, which runs without a server: each runs here, with its imports
renamed, against a real `headwater server start`, and must print what it printed on
Prefect 3.9.1 with `prefect server start` (the `.out` beside it, recorded with
scripts/record-parity from tests/parity/prefect3/automations and moved here)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support import ServerProcess, child_env

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "parity"))
from programs import format_output, normalise  # noqa: E402
from rename import rename_imports  # noqa: E402

PROGRAMS = Path(__file__).resolve().parent / "programs"


@pytest.mark.parametrize("name", [
    "event_payload_to_flow",
    "flow_run_parameters_in_templates",
    "event_grammar_and_debounce",
])
def test_docs_program_on_a_server_prints_what_prefect_printed(name: str, tmp_path: Path) -> None:
    source = PROGRAMS / f"{name}.py"
    program = tmp_path / "run" / source.name
    program.parent.mkdir()
    program.write_text(rename_imports(source.read_text()))
    server = ServerProcess(tmp_path / "server", HEADWATER_LOGGING_TO_CONSOLE="false").start()
    try:
        done = subprocess.run([sys.executable, program.name], cwd=program.parent, capture_output=True, text=True,
                              timeout=150, env=child_env(tmp_path / "home", HEADWATER_API_URL=server.url))
    finally:
        server.stop()
    expected = (PROGRAMS / f"{name}.out").read_text()
    assert normalise(format_output(done.stdout, done.returncode)) == normalise(expected), done.stderr[-3000:]
