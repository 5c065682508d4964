"""Cached task runs in the recorded history and in `headwater flow-run inspect`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from headwater import flow, task
from headwater.cache_policies import INPUTS
from headwater.cli import app


def test_inspect_shows_where_a_cached_result_is(home, history):
    @task(cache_policy=INPUTS)
    def double(x: int) -> int:
        return 2 * x

    @task
    def plain(x: int) -> int:
        return x

    @flow
    def pipeline() -> int:
        return plain(double(2))

    pipeline()
    pipeline()
    newest = history.store.flow_runs.list_flow_runs(limit=1)[0]
    runner = CliRunner()

    result = runner.invoke(app, ["flow-run", "inspect", newest.id, "--output", "json"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    task_runs = {t["task_name"]: t for t in json.loads(result.stdout)["task_runs"]}
    cached = task_runs["double"]["state"]
    assert cached["name"] == "Cached" and cached["details"]["storage_key"].startswith(str(home / "storage"))
    assert task_runs["plain"]["state"]["details"] is None

    table = runner.invoke(app, ["flow-run", "inspect", newest.id], env={"COLUMNS": "300"})
    assert table.exit_code == 0, table.output
    assert "RESULT" in table.stdout
    (line,) = [line for line in table.stdout.splitlines() if "double-" in line]
    assert "Cached" in line and f"key {cached['details']['cache_key'][:12]}" in line
