"""Parts the fault proofs share: a server that can be killed, frozen and restarted,
client-mode flow processes, a private PostgreSQL cluster that can be restarted, and
the API reads that tell whether anything was lost.

The server is `worker.conftest.Server` (a real `headwater server start` on a fixed
port, restartable over the same database); this adds the faults.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from support import free_port, wait_for
from worker.conftest import FINAL, Server

__all__ = [
    "FINAL",
    "ClientFlow",
    "PostgresCluster",
    "client_flow",
    "logs_of",
    "start_server",
    "task_runs_of",
    "wait_file",
]


def start_server(home: Path, **settings: str) -> Server:
    """A server over `home` (SQLite unless HEADWATER_DATABASE_URL is given), with the
    worker tests' short intervals, `settings` overriding them."""
    server = Server(home)
    for name, value in settings.items():
        if value == "":
            server.env.pop(name, None)  # back to headwater's default
        else:
            server.env[name] = value
    return server.start()


class ClientFlow(subprocess.Popen):  # type: ignore[type-arg]
    """A flow script's process; its output goes to files in its home (a pipe nobody
    reads while the flow runs could fill up)."""

    def __init__(self, argv: list[str], home: Path, env: dict[str, str]) -> None:
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        with open(home / "stdout.log", "w") as stdout, open(home / "stderr.log", "w") as stderr:
            super().__init__(argv, stdout=stdout, stderr=stderr, env=env)  # it holds its own copies

    def stdout_text(self) -> str:
        return (self.home / "stdout.log").read_text()

    def stderr_text(self) -> str:
        return (self.home / "stderr.log").read_text()

    def finish(self, timeout: float) -> str:
        """Wait for it to exit 0 and return its stdout; fail with its stderr otherwise."""
        code = self.wait(timeout)
        assert code == 0, f"the flow process exited with {code}:\n{self.stderr_text()}"
        return self.stdout_text()


def client_flow(server: Server, script: Path, *args: object, home: Path, **env: str) -> ClientFlow:
    """Run `script` (a flow) in client mode against `server`, with its own home."""
    return ClientFlow([sys.executable, str(script), *map(str, args)], home,
                      server.client_env(HEADWATER_HOME=str(home), HEADWATER_LOGGING_TO_CONSOLE="false", **env))


def wait_file(path: Path, proc: ClientFlow, timeout: float) -> None:
    """Wait for a flow's signal file; fail at once, with its stderr, if the flow died."""
    def ready() -> bool:
        if proc.poll() is not None and not path.exists():
            raise AssertionError(f"the flow exited with {proc.returncode} before {path.name}:\n{proc.stderr_text()}")
        return path.exists()

    wait_for(ready, timeout, path.name)


def task_runs_of(server: Server, flow_run_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        page = server.call("POST", "/task_runs/filter", json={
            "task_runs": {"flow_run_id": {"any_": [flow_run_id]}}, "limit": 200, "offset": len(found)})
        found += page
        if len(page) < 200:
            return found


def logs_of(server: Server, flow_run_id: str) -> list[str]:
    found: list[str] = []
    while True:
        page = server.call("POST", "/logs/filter", json={
            "logs": {"flow_run_id": {"any_": [flow_run_id]}}, "limit": 200, "offset": len(found)})
        found += [line["message"] for line in page]
        if len(page) < 200:
            return found


class PostgresCluster:
    """A throwaway PostgreSQL cluster of one test, which the test may stop and start.

    The session's `postgres_server` (tests/conftest.py) is shared by every test, so a
    test that restarts PostgreSQL under a server gets its own cluster instead.
    """

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            raise LookupError("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
        self.bin = Path(found[-1]).parent
        self.root = tempfile.mkdtemp(prefix="headwater-faults-pg-")
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, user="postgres", group="postgres")
        self.data = os.path.join(self.root, "data")
        self.port = free_port()
        self._run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self.as_postgres, str(self.bin / program), *args], capture_output=True, text=True,
                              timeout=120)
        if done.returncode != 0:
            raise AssertionError(f"{program} {' '.join(args[:3])} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-o", options, "-l", os.path.join(self.root, "log"), "-w", "-t", "60",
                  "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop it; `fast` ends every session at once, as a restart by an operator does."""
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        subprocess.run([*self.as_postgres, str(self.bin / "pg_ctl"), "-D", self.data, "-m", "immediate", "-w",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(self.root, ignore_errors=True)
