"""Artifacts in Chromium: the Artifacts page, a key's history, and the flow run and task
run pages, with hostile content (script tags, javascript: links, onerror attributes,
raw HTML in markdown and in table cells): nothing of it runs or survives as markup."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from .conftest import PageProblems, UiServer, snap

FLOWS = Path(__file__).with_name("artifact_flows.py")

# Anything in an artifact that could run script, found in the DOM after rendering.
DANGEROUS = ("script, iframe, svg, object, embed, [onerror], [onload], [onmouseover], a[href^='javascript'], "
             "img[src^='javascript']")


def _no_script_ran(page: Any) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator(".artifact-body, .markdown").locator(DANGEROUS).count() == 0


def test_hostile_artifacts_are_shown_as_text(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    made = subprocess.run([sys.executable, str(FLOWS)], env=ui_server.flow_env(), capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    flow_run_id, task_run_id = made.stdout.split()

    page.goto(ui_server.url + "/artifacts")
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Artifacts")
    for key in ("ui-report", "ui-table", "ui-link", "ui-image", "ui-bad-image", "ui-progress"):
        expect(page.locator(f"tr[data-key={key}]")).to_have_count(1)
    report = page.locator("tr[data-key=ui-report]")
    expect(report.locator("h1")).to_contain_text("Report v2 <script>window.__pwned = 1</script>")  # text
    expect(report.locator(".markdown strong")).to_have_text("bold")
    expect(report.locator("a[href='https://example.com/docs']")).to_have_text("good link")
    expect(report.locator(".markdown td", has_text="<b onmouseover")).to_have_count(1)  # a table cell, as text
    table = page.locator("tr[data-key=ui-table] table.artifact-table")
    expect(table.locator("th")).to_have_text(["name", "rows"])
    expect(table.locator("td").first).to_have_text('<img src=x onerror="window.__pwned = 1">')
    expect(page.locator("tr[data-key=ui-image] img.artifact-image")).to_have_attribute(
        "src", "https://example.invalid/chart.png")
    expect(page.locator("tr[data-key=ui-bad-image] img")).to_have_count(0)
    expect(page.locator("tr[data-key=ui-bad-image] pre")).to_contain_text("javascript:")
    expect(page.locator("tr[data-key=ui-link] .artifact-body a")).to_have_count(0)  # a javascript: link loses its target
    expect(page.locator("tr[data-key=ui-progress] progress")).to_have_attribute("value", "64.0")
    _no_script_ran(page)
    snap(page, "artifacts")

    page.locator("a[href='/artifacts/key/ui-report']").click()
    expect(page.locator(".head h1")).to_contain_text("ui-report")
    expect(page.locator("article.artifact")).to_have_count(2)  # both versions, newest first
    expect(page.locator("section.card h2").first).to_have_text("Latest version")
    expect(page.locator("article.artifact").first.locator(".markdown em")).to_have_text("second")
    _no_script_ran(page)

    page.goto(ui_server.url + f"/runs/{flow_run_id}")
    section = page.locator("section#artifacts")
    expect(section.locator("article.artifact")).to_have_count(7)
    _no_script_ran(page)
    snap(page, "artifacts-flow-run")

    page.goto(ui_server.url + f"/task-runs/{task_run_id}")
    expect(page.locator("section#artifacts article.artifact")).to_have_count(1)
    expect(page.locator("section#artifacts .markdown script")).to_have_count(0)
    _no_script_ran(page)
    assert not [e for e in problems.errors if "example.invalid" not in e and "ERR_NAME" not in e]


def test_missing_artifacts_are_404(ui_server: UiServer, page: Any) -> None:
    assert page.goto(ui_server.url + "/artifacts/key/never-made").status == 404
    assert page.goto(ui_server.url + "/artifacts/id/00000000-0000-0000-0000-000000000000").status == 404
