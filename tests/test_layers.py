"""The layer rules of docs/architecture.md, checked by importing a layer in a fresh
interpreter and listing what got loaded."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_server_loads_no_engine_module() -> None:
    loaded = _loaded_after("import headwater.server.app")
    assert [m for m in loaded if m.startswith("headwater.engine")] == []


@pytest.mark.parametrize("code", [
    "import headwater.client.orchestration, headwater.client.http, headwater.client.schemas.filters, "
    "headwater.client.schemas.objects, headwater.client.schemas.sorting, headwater.client.schemas.actions",
    # In use over the embedded database: the in-process transport and the operations.
    "from headwater.client.orchestration import get_client\n"
    "with get_client(sync_client=True) as c:\n    c.read_flow_runs(limit=1)",
])
def test_the_client_loads_no_server_module(code: str, tmp_path: object) -> None:
    loaded = _loaded_after(f"import os\nos.environ['HEADWATER_HOME'] = {str(tmp_path)!r}\n{code}")
    assert [m for m in loaded if m.startswith(("headwater.server", "fastapi", "starlette", "uvicorn"))] == []


def test_the_operations_load_no_server_or_engine_module() -> None:
    loaded = _loaded_after("import headwater.operations")
    assert [m for m in loaded if m.startswith(("headwater.server", "headwater.engine", "fastapi"))] == []


def test_a_flow_script_still_imports_no_sqlalchemy_or_fastapi() -> None:
    loaded = _loaded_after("import headwater\nfrom headwater import flow, task, get_client")
    assert [m for m in loaded if m.split(".")[0] in ("sqlalchemy", "fastapi")] == []
