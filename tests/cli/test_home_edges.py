"""The home folder's odd states (issue 19 item 10), with real processes: a `headwater.db`
that is a directory, unknown keys in config.toml, a read-only home (a read-only bind
mount in a private mount namespace: as root, permissions alone stop no write), and a
home whose path has a space, shown as written in the server's banner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ServerProcess, child_env

HEADWATER = str(Path(sys.executable).with_name("headwater"))
FLOW = "from headwater import flow\n\n@flow\ndef hello() -> int:\n    return 1\n\nhello()\n"


def _run(args: list[str], home: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=child_env(home), capture_output=True, text=True, timeout=timeout)


def test_a_database_path_that_is_a_directory_says_so(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "headwater.db").mkdir(parents=True)
    script = tmp_path / "flow.py"
    script.write_text(FLOW)
    for args in ([HEADWATER, "flow-run", "ls"], [sys.executable, str(script)]):
        result = _run(args, home)
        assert result.returncode != 0
        assert "is a directory" in result.stderr, result.stderr
        assert "not writable" not in result.stderr


def test_unknown_keys_in_config_toml_are_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('logging_levl = "DEBUG"\nzombie_after_seconds = 5\nserver_prot = 1\n')
    result = _run([HEADWATER, "flow-run", "ls"], home)
    assert result.returncode == 0, result.stderr
    assert "logging_levl" in result.stderr and "server_prot" in result.stderr, result.stderr
    assert "zombie_after_seconds" not in result.stderr
    (home / "config.toml").write_text("zombie_after_seconds = 5\n")
    assert _run([HEADWATER, "flow-run", "ls"], home).stderr == ""


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                    reason="a read-only mount in a private namespace needs root and unshare (CI runs as root)")
def test_a_read_only_home_can_still_be_read(tmp_path: Path) -> None:
    home = tmp_path / "home"
    script = tmp_path / "flow.py"
    script.write_text(FLOW)
    assert _run([sys.executable, str(script)], home).returncode == 0
    read = subprocess.run(
        ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && touch "$0/probe" 2>/dev/null && exit 99; '
         'exec "$1" flow-run ls --output json', str(home), HEADWATER],
        env=child_env(home), capture_output=True, text=True, timeout=60)
    assert read.returncode == 0, read.stderr
    runs = json.loads(read.stdout)
    assert [r["state"]["type"] for r in runs] == ["COMPLETED"]
    # Running a flow there says why it cannot record.
    write = subprocess.run(
        ["unshare", "-m", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$1" "$2"', str(home), sys.executable,
         str(script)], env=child_env(home), capture_output=True, text=True, timeout=60)
    assert write.returncode != 0
    assert "read-only" in write.stderr.lower(), write.stderr


def test_the_server_banner_shows_the_home_path_as_written(tmp_path: Path) -> None:
    home = tmp_path / "my home ü"
    server = ServerProcess(home).start()
    try:
        pass
    finally:
        log = server.stop()
    assert f"database sqlite:///{home}/headwater.db" in log, log
    assert "%20" not in log
