"""Pages in flight update without reload: state, logs, timeline; cancel and retry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import PageProblems, UiServer, wait_until


def test_a_running_flow_updates_in_place_until_it_completes(ui_server: UiServer, page: Any, tmp_path: Path,
                                                            problems: PageProblems) -> None:
    release = tmp_path / "release"
    proc, run_id = ui_server.start_flow("waits", str(release))
    try:
        # The engine flushes its history in batches: wait until the run is stored.
        wait_until(lambda: httpx.get(f"{ui_server.url}/api/flow_runs/{run_id}").status_code == 200, 15,
                   "the flow run to be stored")
        page.goto(f"{ui_server.url}/runs/{run_id}")
        expect(page.locator("#run-state .state")).to_have_text("Running", timeout=15_000)
        page.evaluate("document.body.dataset.loadedOnce = 'yes'")  # gone if the page reloads
        expect(page.locator("#logs")).to_contain_text("waiting for the test", timeout=15_000)
        expect(page.locator("button[data-action=cancel]")).to_be_enabled()
        release.write_text("go")
        expect(page.locator("#run-state .state")).to_have_text("Completed", timeout=20_000)
        expect(page.locator("#logs")).to_contain_text("released by", timeout=10_000)
        expect(page.locator("#timeline rect.bar.s-COMPLETED")).to_have_count(2, timeout=10_000)
        expect(page.locator("button[data-action=retry]")).to_be_enabled()
        assert page.evaluate("document.body.dataset.loadedOnce") == "yes"
    finally:
        release.touch()
        proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert not problems.errors


def test_retry_and_cancel_buttons_call_the_api(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    run_id = ui_server.run_flow("fails")
    page.goto(f"{ui_server.url}/runs/{run_id}")
    expect(page.locator("#run-state .state")).to_have_text("Failed")
    page.locator("button[data-action=retry]").click()
    expect(page.locator("#run-state .state")).to_have_text("AwaitingRetry")
    expect(page.locator("button[data-action=cancel]")).to_be_enabled()
    page.locator("button[data-action=cancel]").click()
    expect(page.locator("#run-state .state")).to_have_text("Cancelled")
    expect(page.locator("#action-result")).to_have_text("Now Cancelled")
    assert not problems.errors
