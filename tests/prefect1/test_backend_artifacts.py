"""Prefect 1's `prefect.backend.artifacts` over headwater's artifacts: a static flow's task
run makes, changes and deletes them, stored with its history on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from support import child_env

from headwater.client.orchestration import SyncPrefectClient
from headwater.core.settings import load_settings

FLOW = """\
from headwater import Flow, task
from headwater.backend.artifacts import (
    create_link_artifact, create_markdown_artifact, delete_artifact, update_link_artifact, update_markdown_artifact)


@task
def report():
    made = create_markdown_artifact("# report")
    kept_link = create_link_artifact("https://example.com/kept")
    gone = create_link_artifact("https://example.com/gone")
    update_markdown_artifact(made, "# report v2")
    update_link_artifact(kept_link, "https://example.com/new")
    delete_artifact(gone)
    print(made, kept_link)


with Flow("p1-artifacts") as flow:
    report()

assert flow.run().is_successful()
"""


def test_a_task_run_makes_changes_and_deletes_artifacts(store_url: str, tmp_path: Path) -> None:
    script = tmp_path / "flow.py"
    script.write_text(FLOW)
    done = subprocess.run([sys.executable, str(script)], env=child_env(tmp_path / "home",
                                                                          HEADWATER_DATABASE_URL=store_url,
                                                                          HEADWATER_LOGGING_TO_CONSOLE="false"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    made, link = done.stdout.split()
    with SyncPrefectClient(load_settings(home=str(tmp_path / "home"), database_url=store_url)) as client:
        found = {str(a.id): a for a in client.read_artifacts()}
        (task_run,) = client.read_task_runs()
    assert set(found) == {made, link}
    assert found[made].data == "# report v2"
    assert found[link].data == "[https://example.com/new](https://example.com/new)"
    assert {a.task_run_id for a in found.values()} == {task_run.id}
