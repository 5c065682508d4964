"""Small helpers shared by the test packages (tests/ is on sys.path)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

__all__ = ["History", "ServerProcess", "child_env", "free_port", "private_home", "wait_for", "wait_until"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.02) -> Any:
    """Poll `condition` until it returns something truthy and return it; fail naming
    `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Like `wait_for`, for conditions whose value does not matter."""
    wait_for(condition, timeout, what)



# What a test's private home must not inherit from the environment that runs the suite.
_OUTSIDE_SETTINGS = ("HEADWATER_API_URL", "HEADWATER_DATABASE_URL", "HEADWATER_LOGGING_LEVEL",
                     "HEADWATER_RESULTS_STORAGE")


def private_home(tmp_path: Path, monkeypatch: Any, *, console: bool = False) -> Iterator[Path]:
    """The body of a package's `home` fixture: a fresh $HEADWATER_HOME under `tmp_path`,
    no settings inherited from outside, and the process's orchestrator started anew in it
    (shut down after the test). `console` keeps console logging on.

        @pytest.fixture
        def home(tmp_path, monkeypatch):
            yield from private_home(tmp_path, monkeypatch)
    """
    from headwater.core.settings import reset_settings
    from headwater.orchestrator import set_orchestrator, shutdown

    path = tmp_path / "home"
    monkeypatch.setenv("HEADWATER_HOME", str(path))
    for name in _OUTSIDE_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    if console:
        monkeypatch.delenv("HEADWATER_LOGGING_TO_CONSOLE", raising=False)
    else:
        monkeypatch.setenv("HEADWATER_LOGGING_TO_CONSOLE", "false")
    reset_settings()
    set_orchestrator(None)
    yield path
    shutdown()
    reset_settings()

def child_env(home: Path, **extra: str) -> dict[str, str]:
    """This environment without any HEADWATER_ setting of its own, for a child using `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    env.update(HEADWATER_HOME=str(home), **extra)
    return env


class ServerProcess:
    """`headwater server start` in a subprocess, on a fixed port so that it can be
    restarted; its output goes to `log_path` (a file: a pipe nobody drains would
    stall the server).

    Attributes:
        base_url: `http://127.0.0.1:PORT` (the UI).
        url: the API's URL, `base_url + "/api"`.
    """

    def __init__(self, home: Path, *, port: int | None = None, log_path: Path | None = None, **env: str) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.env = child_env(home, **env)
        self.port = port or free_port()
        self.log_path = log_path or home / f"server-{self.port}.log"
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.base_url}/api"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> ServerProcess:
        exe = Path(sys.executable).with_name("headwater")
        with self.log_path.open("ab") as log:  # a restart appends
            self.proc = subprocess.Popen([str(exe), "server", "start", "--port", str(self.port)], env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._healthy, timeout, f"headwater server on port {self.port}")
        return self

    def _healthy(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"server exited with {self.proc.returncode}:\n{self.log()}")
        try:
            return httpx.get(f"{self.url}/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> str:
        """Stop the server gracefully (SIGTERM; SIGKILL after 30 s) and return its output."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)
        return self.log()

    def kill(self) -> None:
        """SIGKILL: the server gets no chance to finish anything."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(30)


class History:
    """Reads what the engine recorded, after flushing the writer."""

    @property
    def store(self):  # type: ignore[no-untyped-def]
        from headwater.orchestrator import get_orchestrator

        orchestrator = get_orchestrator()
        assert orchestrator.flush(timeout=10)
        return orchestrator.store  # type: ignore[attr-defined]

    def flow_run(self, ref: str):  # type: ignore[no-untyped-def]
        return self.store.flow_runs.read_flow_run(ref)

    def only_flow_run(self):  # type: ignore[no-untyped-def]
        runs = self.store.flow_runs.list_flow_runs(limit=10)
        assert len(runs) == 1, runs
        return runs[0]

    def states(self, run_id: str) -> list[str]:
        return [s.name for s in self.store.history.read_states(run_id)]
