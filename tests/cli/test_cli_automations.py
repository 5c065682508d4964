"""`headwater automation create -f|ls|inspect|pause|resume|delete` on the embedded
database; a malformed file is refused naming the field, with no traceback."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from headwater.cli.app import app


def test_automation_commands(home: Path, runner: CliRunner, tmp_path: Path) -> None:
    spec = tmp_path / "automations.yaml"
    spec.write_text("""
automations:
  - name: watch orders
    trigger:
      expect: ["order.failed"]
      match: {"prefect.resource.id": "order.*"}
      threshold: 2
      within: 60
    actions:
      - type: do-nothing
""")
    made = runner.invoke(app, ["automation", "create", "-f", str(spec)])
    assert made.exit_code == 0, made.output
    assert "Created automation 'watch orders'" in made.output
    listed = runner.invoke(app, ["automation", "ls"])
    assert "watch orders" in listed.output and "Reactive: expecting 2 of {'order.failed'}" in listed.output
    assert runner.invoke(app, ["automation", "pause", "watch orders"]).exit_code == 0
    shown = runner.invoke(app, ["automation", "inspect", "watch orders", "-o", "json"])
    assert json.loads(shown.output)["enabled"] is False
    assert runner.invoke(app, ["automation", "resume", "watch orders"]).exit_code == 0
    text = runner.invoke(app, ["automation", "inspect", "watch orders"]).output
    assert "Enabled:     yes" in text and "No action taken yet." in text
    assert runner.invoke(app, ["automation", "delete", "watch orders"]).exit_code == 0
    missing = runner.invoke(app, ["automation", "inspect", "watch orders"])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_bad_files_are_refused_naming_the_field(home: Path, runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"name": "x", "trigger": {"posture": "Proactive", "expect": ["a"], "within": 3},
                                "actions": []}]))
    refused = runner.invoke(app, ["automation", "create", "-f", str(bad)])
    assert refused.exit_code == 2 and "within` for Proactive triggers" in refused.output
    assert "Traceback" not in refused.output
    bad.write_text(json.dumps({"name": "x", "trigger": {"expect": ["a"]},
                               "actions": [{"type": "run-deployment", "deployment_id":
                                            "00000000-0000-0000-0000-000000000001"}]}))
    refused = runner.invoke(app, ["automation", "create", "-f", str(bad)])
    assert refused.exit_code == 1 and "actions[0].deployment_id: no deployment" in refused.output
    assert runner.invoke(app, ["automation", "ls"]).output.startswith("No automations")
