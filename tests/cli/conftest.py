"""Fixtures for CLI tests: a private HEADWATER_HOME and run history written through the store."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from headwater.core.settings import get_settings, reset_settings
from headwater.orchestrator.records import (
    FlowRunCreated,
    LogEmitted,
    Record,
    StateChanged,
    TaskInputsRecorded,
    TaskRunCreated,
)

HEADWATER_SCRIPT = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "headwater"
T0 = 1_700_000_000.0  # 2023-11-14T22:13:20Z


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh HEADWATER_HOME for this test, for in-process commands and subprocesses."""
    path = tmp_path / "home"
    monkeypatch.setenv("HEADWATER_HOME", str(path))
    for name in list(os.environ):
        if name.startswith("HEADWATER_") and name != "HEADWATER_HOME":
            monkeypatch.delenv(name)
    reset_settings()
    yield path
    reset_settings()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def script_env(home: Path) -> dict[str, str]:
    """The environment for running the `headwater` console script in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env["HEADWATER_HOME"] = str(home)
    env["NO_COLOR"] = "1"
    return env


@dataclass
class History:
    """Ids of the runs `history` wrote."""

    pipeline_id: str
    fetch_ids: tuple[str, str]
    combine_id: str
    failed_id: str


def _state(run_id: str, is_task: bool, type_: str, name: str, at: float, message: str | None = None) -> StateChanged:
    return StateChanged(run_id, is_task, type_, name, message, at, None)


@pytest.fixture
def history(home: Path) -> History:
    """Two flow runs written with `Store.write`, as the engine would record them.

    'brave-otter' (flow `pipeline`, Completed): two `fetch` task runs feeding one
    `combine` task run, and log lines at several levels. 'sad-panda' (flow `etl`,
    Failed with a message), started later, so it lists first.
    """
    from headwater.store import open_store

    pipeline, failed = str(uuid.uuid4()), str(uuid.uuid4())
    fetch_a, fetch_b, combine = (str(uuid.uuid4()) for _ in range(3))
    records: list[Record] = [
        FlowRunCreated(pipeline, "pipeline", "brave-otter", {"n": 2, "label": "x"}, ["nightly"], None, T0),
        _state(pipeline, False, "PENDING", "Pending", T0),
        _state(pipeline, False, "RUNNING", "Running", T0 + 0.1),
        LogEmitted(pipeline, None, 20, "headwater.flow_runs", "Created flow run 'brave-otter'", T0 + 0.1),
        LogEmitted(pipeline, None, 10, "headwater.flow_runs", "a debug line", T0 + 0.15),
    ]
    for index, (task_run_id, name) in enumerate(((fetch_a, "fetch-0a1"), (fetch_b, "fetch-b2c"))):
        at = T0 + 0.2 + index
        records += [
            TaskRunCreated(task_run_id, pipeline, name, "fetch", "fetch-key", index, [], at),
            _state(task_run_id, True, "PENDING", "Pending", at),
            _state(task_run_id, True, "RUNNING", "Running", at + 0.01),
            LogEmitted(pipeline, task_run_id, 30, "headwater.task_runs", f"warning from {name}", at + 0.02),
            _state(task_run_id, True, "COMPLETED", "Completed", at + 0.5),
        ]
    records += [
        TaskRunCreated(combine, pipeline, "combine-9f8", "combine", "combine-key", 0, [], T0 + 3),
        TaskInputsRecorded(combine, (("a", fetch_a, "data"), ("b", fetch_b, "data"))),
        _state(combine, True, "PENDING", "Pending", T0 + 3),
        _state(combine, True, "RUNNING", "Running", T0 + 3.01),
        _state(combine, True, "COMPLETED", "Completed", T0 + 3.5),
        LogEmitted(pipeline, None, 20, "headwater.flow_runs", "Finished in state Completed()", T0 + 4),
        _state(pipeline, False, "COMPLETED", "Completed", T0 + 4),
        FlowRunCreated(failed, "etl", "sad-panda", {}, [], None, T0 + 100),
        _state(failed, False, "PENDING", "Pending", T0 + 100),
        _state(failed, False, "RUNNING", "Running", T0 + 100.5),
        LogEmitted(failed, None, 40, "headwater.flow_runs", "ValueError: boom", T0 + 101),
        _state(failed, False, "FAILED", "Failed", T0 + 101, "Flow run encountered an exception: ValueError: boom"),
    ]
    store = open_store(get_settings())
    try:
        store.history.write(records)
    finally:
        store.close()
    return History(pipeline, (fetch_a, fetch_b), combine, failed)
