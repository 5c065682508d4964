"""`headwater asset ls|inspect|delete` on the embedded database, after a real flow with
`@materialize` tasks recorded its assets."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from headwater.cli import app

FLOW = textwrap.dedent('''
    from headwater import flow
    from headwater.assets import Asset, AssetProperties, add_asset_metadata, materialize

    raw = Asset(key="postgres://db/orders", properties=AssetProperties(name="Orders"))

    @materialize("s3://lake/orders.parquet", asset_deps=[raw], by="dbt")
    def export():
        add_asset_metadata("s3://lake/orders.parquet", {"rows": 7})
        return [1]

    @materialize("s3://lake/report.csv")
    def report(rows):
        return len(rows)

    @flow
    def pipeline():
        report(export())

    pipeline()
''')


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["asset", *args])
    return result.exit_code, result.stdout, result.stderr


def test_ls_inspect_delete(runner: CliRunner, home: Path, script_env: dict[str, str], tmp_path: Path) -> None:
    assert run(runner, "ls")[1].startswith("No assets found.")
    script = tmp_path / "flow.py"
    script.write_text(FLOW)
    done = subprocess.run([sys.executable, str(script)], env=script_env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    code, out, _ = run(runner, "ls")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["KEY", "LAST", "MATERIALIZED", "STATUS", "BY"]
    assert [line.split()[0] for line in lines[1:4]] == [
        "postgres://db/orders", "s3://lake/orders.parquet", "s3://lake/report.csv"]
    assert lines[1].split()[1:] == ["-", "-", "-"] and lines[2].split()[-2:] == ["succeeded", "dbt"]
    assert lines[-1] == "Showing 3 of 3 asset(s)"
    assert [a["key"] for a in json.loads(run(runner, "ls", "--prefix", "s3://", "-o", "json")[1])] == [
        "s3://lake/orders.parquet", "s3://lake/report.csv"]
    assert [a["key"] for a in json.loads(run(runner, "ls", "-s", "REPORT", "-o", "json")[1])] == [
        "s3://lake/report.csv"]

    code, out, _ = run(runner, "inspect", "s3://lake/orders.parquet")
    assert code == 0
    assert "Upstream:    postgres://db/orders" in out and "Downstream:  s3://lake/report.csv" in out
    assert 'succeeded  by dbt' in out and 'metadata {"rows": 7}' in out
    shown = json.loads(run(runner, "inspect", "postgres://db/orders", "-o", "json")[1])
    assert shown["properties"] == {"name": "Orders"} and shown["materializations"] == []

    assert run(runner, "delete", "s3://lake/report.csv") == (0, "Deleted asset 's3://lake/report.csv'.\n", "")
    code, _, err = run(runner, "delete", "s3://lake/report.csv")
    assert code == 1 and "Asset 's3://lake/report.csv' not found." in err and "Traceback" not in err
    code, _, err = run(runner, "inspect", "s3://nope/x")
    assert code == 1 and "headwater asset ls" in err and "Traceback" not in err
