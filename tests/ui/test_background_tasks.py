"""The background tasks page in Chromium: pending runs (waiting, then running, then
gone once done) and the task workers serving them; names stay text."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import PageProblems, UiServer, snap

HOSTILE = '<img src=x onerror=alert(1)>'


def test_background_tasks_page_shows_pending_runs_and_task_workers(ui_server: UiServer, page: Any,
                                                                   problems: PageProblems) -> None:
    with httpx.Client(base_url=ui_server.url + "/api/", timeout=30) as api:
        _walk_through(api, page)
    assert not problems.errors, problems.errors


def _walk_through(api: httpx.Client, page: Any) -> None:
    run_id = str(uuid.uuid4())
    key = f"ui_bg_task-{run_id[:8]}"
    created = api.post("background_task_runs/", json={
        "id": run_id, "name": f"ui-bg-{HOSTILE}", "task_key": key, "task_name": "ui_bg_task",
        "storage": "/tmp/nowhere"})
    assert created.status_code == 201, created.text
    beat = api.post("background_task_runs/workers/heartbeat", json={
        "worker": "ui-task-worker", "task_keys": [key], "limit": 4, "host": "here", "pid": 123})
    assert beat.status_code == 200, beat.text

    page.goto(str(api.base_url).removesuffix("/api/") + "/background-tasks")
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Background tasks")
    row = page.locator(f"tr[data-background-run='{run_id}']")
    expect(row).to_contain_text("Scheduled")
    expect(row).to_contain_text(HOSTILE)  # shown as text
    assert row.locator("img").count() == 0
    expect(page.locator("tr[data-task-worker='ui-task-worker']")).to_contain_text("ONLINE")
    expect(page.locator("tr[data-task-worker='ui-task-worker']")).to_contain_text(key)
    snap(page, "background-tasks")

    claimed = api.post("background_task_runs/claim", json={"worker": "ui-task-worker", "task_keys": [key],
                                                             "limit": 5}).json()
    assert [c["task_run_id"] for c in claimed] == [run_id]
    page.reload()
    expect(page.locator(f"tr[data-background-run='{run_id}']")).to_contain_text("Running")
    expect(page.locator(f"tr[data-background-run='{run_id}']")).to_contain_text("ui-task-worker")

    done = api.post("background_task_runs/finish", json={"worker": "ui-task-worker", "ended": [
        {"task_run_id": run_id, "state_type": "COMPLETED", "state_name": "Completed"}]})
    assert done.json() == 1
    page.reload()
    expect(page.locator(f"tr[data-background-run='{run_id}']")).to_have_count(0)
    api.post("background_task_runs/workers/heartbeat", json={"worker": "ui-task-worker", "stopping": True})
    page.reload()
    expect(page.locator("tr[data-task-worker='ui-task-worker']")).to_have_count(0)
