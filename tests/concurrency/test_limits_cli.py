"""`headwater gcl ...` and `headwater concurrency-limit ...`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from headwater.cli import app
from headwater.concurrency import limits
from headwater.concurrency.sync import concurrency

HEADWATER = Path(sys.executable).with_name("headwater")


@pytest.fixture
def cli(home: Path):  # type: ignore[no-untyped-def]
    runner = CliRunner()

    def invoke(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args))
        assert result.exit_code == code, result.output
        return result.output

    return invoke


def test_gcl_round_trip_in_a_real_process(home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env.update(HEADWATER_HOME=str(home), NO_COLOR="1")

    def headwater(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(HEADWATER), *args], env=env, capture_output=True, text=True, timeout=60)

    created = headwater("gcl", "create", "github-api", "--limit", "60", "--slot-decay-per-second", "0.016")
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "Created global concurrency limit 'github-api': limit 60, 0.016 slot(s)/s " \
                                     "decay, active."
    listed = json.loads(headwater("gcl", "ls", "--output", "json").stdout)
    assert [(x["name"], x["limit"], x["slot_decay_per_second"], x["active"]) for x in listed] == [
        ("github-api", 60, 0.016, True)]
    assert headwater("gcl", "delete", "github-api").returncode == 0
    missing = headwater("gcl", "inspect", "github-api")
    assert missing.returncode == 1
    assert missing.stderr == "Error: there is no global concurrency limit 'github-api'; list the limits with " \
                             "`headwater gcl ls`\n"


def test_gcl_inspect_shows_slots_in_use_and_holders(cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    cli("gcl", "create", "database", "--limit", "3")
    with concurrency("database", occupy=2):
        out = cli("gcl", "inspect", "database")
        document = json.loads(cli("gcl", "inspect", "database", "--output", "json"))
        table = cli("gcl", "ls")
    assert "In use   2/3 (2 held, 0.00 decaying)" in out
    assert f"{os.getpid()}" in out
    assert document["leased_slots"] == 2 and document["holders"][0]["holder"]["pid"] == os.getpid()
    assert table.splitlines()[1].split() == ["database", "3", "2/3", "0", "yes", "1"]


def test_gcl_create_disabled_enable_update(cli) -> None:  # type: ignore[no-untyped-def]
    assert "inactive" in cli("gcl", "create", "database", "--limit", "1", "--disable")
    assert cli("gcl", "enable", "database").strip() == "Enabled global concurrency limit 'database'."
    assert limits.read_limit("database").active
    assert cli("gcl", "update", "database", "--limit", "30", "--slot-decay-per-second", "0.5").strip() == \
        "Updated global concurrency limit 'database': limit 30, 0.5 slot(s)/s decay, active."
    cli("gcl", "disable", "database")
    inspected = json.loads(cli("gcl", "inspect", "database", "-o", "json"))
    assert (inspected["limit"], inspected["slot_decay_per_second"], inspected["active"], inspected["holders"]) == (
        30, 0.5, False, [])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gcl", "create", "x", "--limit", "0"], "must be at least 1, not 0"),
        (["gcl", "create", "x", "--limit", "-2"], "must be at least 1, not -2"),
        (["gcl", "create", "x", "--limit", "2", "--slot-decay-per-second", "-1"], "must be a number >= 0"),
        (["gcl", "create", "a/b", "--limit", "2"], "contains '/'"),
        (["gcl", "create", "tag:x", "--limit", "2"], "reserved for tag limits"),
        (["gcl", "update", "ghost", "--limit", "2"], "there is no global concurrency limit 'ghost'"),
        (["gcl", "update", "ghost"], "nothing to update: give --limit and/or --slot-decay-per-second"),
        (["gcl", "delete", "ghost"], "there is no global concurrency limit 'ghost'"),
        (["concurrency-limit", "create", "db", "-1"], "tag concurrency limit 'db' must be at least 0, not -1"),
        (["concurrency-limit", "inspect", "ghost"], "there is no tag concurrency limit 'ghost'"),
    ],
)
def test_bad_input_is_one_error_line_and_nothing_is_created(
    cli, args: list[str], message: str  # type: ignore[no-untyped-def]
) -> None:
    output = cli(*args, code=1)
    assert output.startswith("Error: ") and message in output and output.count("\n") == 1, output
    assert limits.list_limits(kind=None) == []


def test_a_duplicate_name_is_refused(cli) -> None:  # type: ignore[no-untyped-def]
    cli("gcl", "create", "database", "--limit", "2")
    output = cli("gcl", "create", "database", "--limit", "5", code=1)
    assert "already exists (limit 2)" in output
    assert limits.read_limit("database").limit == 2


def test_concurrency_limit_round_trip(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("concurrency-limit", "create", "warehouse", "2").strip() == \
        "Created tag concurrency limit 'warehouse': limit 2, active."
    cli("concurrency-limit", "create", "frozen", "0")
    assert [line.split()[:2] for line in cli("concurrency-limit", "ls").splitlines()[1:]] == [
        ["frozen", "0"], ["warehouse", "2"]]
    cli("concurrency-limit", "update", "warehouse", "--limit", "4")
    document = json.loads(cli("concurrency-limit", "inspect", "warehouse", "-o", "json"))
    assert (document["name"], document["tag"], document["kind"], document["limit"]) == (
        "tag:warehouse", "warehouse", "tag", 4)
    assert cli("gcl", "ls").strip() == "No global concurrency limits. Create one with " \
                                       "`headwater gcl create NAME --limit N`."
    cli("concurrency-limit", "disable", "warehouse")
    cli("concurrency-limit", "delete", "warehouse")
    cli("concurrency-limit", "delete", "frozen")
    assert json.loads(cli("concurrency-limit", "ls", "--output", "json")) == []
