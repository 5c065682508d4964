"""Small helpers shared by the test packages (tests/ is on sys.path)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

__all__ = ["ServerProcess", "child_env", "free_port", "wait_for", "wait_until"]


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
