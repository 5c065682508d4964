"""Fixtures for the UI tests: a real `headwater server start`, real runs, real Chromium.

- `ui_server`: one server subprocess for the session, with its own HEADWATER_HOME, and
  flow runs made by the engine (embedded mode, writing the server's SQLite file).
- `browser`: Debian's Chromium, headless, driven by Playwright. Missing Chromium skips
  these tests on a developer machine and fails them under CI (`CI` set).
- `page`: a fresh browser page that fails the test if a dialog opens (an injected
  `alert`) or the page throws.
- `snap(page, name)`: saves a screenshot to `$HEADWATER_UI_SCREENSHOTS/name.png` when
  that variable is set (how docs/screenshots/ is made); otherwise does nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from support import free_port, wait_until  # noqa: F401 (re-exported to the tests here)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FLOWS = Path(__file__).with_name("ui_flows.py")


class UiServer:
    """`headwater server start` in a subprocess over its own HEADWATER_HOME."""

    def __init__(self, home: Path, **env: str) -> None:
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
        self.env.update(HEADWATER_HOME=str(home), HEADWATER_LOGGING_TO_CONSOLE="false", **env)
        self.proc: subprocess.Popen[bytes] | None = None
        self.runs: dict[str, str] = {}

    def start(self) -> UiServer:
        exe = Path(sys.executable).with_name("headwater")
        # Output to a file, not a pipe nobody drains (a full pipe would stall the server).
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen([str(exe), "server", "start", "--port", str(self.port)], env=self.env,
                                         stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._healthy, 30, f"the headwater server on port {self.port}")
        return self

    @property
    def log(self) -> Path:
        return self.home / "server.log"

    def _healthy(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(f"server exited with {self.proc.returncode}:\n{self.log.read_text()}")
        try:
            return httpx.get(f"{self.url}/api/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def flow_env(self) -> dict[str, str]:
        # Embedded mode: the engine writes the same SQLite file the server reads.
        return {k: v for k, v in self.env.items() if k != "HEADWATER_API_KEY"}

    def run_flow(self, name: str, *args: str, timeout: float = 120) -> str:
        """Run a flow of ui_flows.py to its end; return its flow run id."""
        result = subprocess.run([sys.executable, str(FLOWS), name, *args], env=self.flow_env(), capture_output=True,
                                text=True, timeout=timeout)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()[0]

    def start_flow(self, name: str, *args: str) -> tuple[subprocess.Popen[str], str]:
        """Start a flow of ui_flows.py; return the process and its flow run id once it printed it."""
        proc = subprocess.Popen([sys.executable, str(FLOWS), name, *args], env=self.flow_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        run_id = proc.stdout.readline().strip()
        assert run_id, proc.stderr.read() if proc.stderr else "the flow printed no run id"
        return proc, run_id

    def stop(self) -> str:
        """Stop the server; return what it printed."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[UiServer]:
    server = UiServer(tmp_path_factory.mktemp("ui-home")).start()
    try:
        for name in ("etl", "xss", "fails"):
            server.runs[name] = server.run_flow(name)
        yield server
    finally:
        output = server.stop()
    # A traceback or warning in the server's output is a bug the pages may have hidden.
    assert "Traceback" not in output and "Warning" not in output, output[-3000:]


# Package scope, not session: Playwright's sync API keeps an asyncio loop running in the
# test thread while the browser is open, and code that picks sync or async by a running loop
# (Variable.get, State.result, ...) would take the async path in every later test.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} not found: apt-get install -y chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI is set, so the UI tests must run)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class PageProblems:
    """What went wrong on a page: dialogs opened (an injected script ran), uncaught errors."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser: Any, problems: PageProblems) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def on_dialog(dialog: Any) -> None:
        problems.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda exc: problems.errors.append(str(exc)))
    page.on("console", lambda msg: problems.errors.append(msg.text) if msg.type == "error" else None)
    try:
        yield page
    finally:
        context.close()
    assert not problems.dialogs, f"a script ran on the page and opened dialogs: {problems.dialogs}"


def snap(page: Any, name: str, *, full_page: bool = True) -> None:
    """Save a screenshot for the docs when HEADWATER_UI_SCREENSHOTS names a directory."""
    folder = os.environ.get("HEADWATER_UI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)
