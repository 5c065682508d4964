"""Assets in Chromium: the Assets page with each asset's latest materialization, and an
asset's page with its materializations and lineage graph, with hostile names,
descriptions, metadata and a javascript: url shown as text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from .conftest import PageProblems, UiServer, snap

FLOWS = Path(__file__).with_name("asset_flows.py")


def _no_script_ran(page: Any) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("main script, main img, main [onerror], a[href^='javascript']").count() == 0


def test_assets_and_lineage(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    made = subprocess.run([sys.executable, str(FLOWS)], env=ui_server.flow_env(), capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    flow_run_id = made.stdout.strip()

    page.goto(ui_server.url + "/assets")
    expect(page.locator("nav a[aria-current=page]")).to_have_text("Assets")
    rows = page.locator("table.assets tbody tr")
    expect(rows).to_have_count(5)
    clean = page.locator("tr[data-key='s3://lake/clean/orders.parquet']")
    expect(clean.locator(".badge")).to_have_text("succeeded")
    expect(clean.locator(".tag")).to_have_text("pandas")
    expect(clean.locator(f"a[href='/runs/{flow_run_id}']")).to_have_count(1)
    orders = page.locator("tr[data-key='postgres://shop/orders']")
    expect(orders).to_contain_text("Orders <script>window.__pwned = 1</script>")  # as text
    expect(orders).to_contain_text("never (only read)")
    _no_script_ran(page)

    clean.locator("a strong").click()
    expect(page.locator(".head h1")).to_contain_text("s3://lake/clean/orders.parquet")
    expect(page.locator(".asset-description")).to_have_text('Cleaned orders <img src=x onerror="window.__pwned = 1">')
    graph = page.locator("svg.graph")
    expect(graph.locator("g.node")).to_have_count(5)  # two upstream, itself, two downstream
    expect(graph.locator("g.node.k-current")).to_have_count(1)
    expect(graph.locator("path.edge")).to_have_count(4)
    expect(page.locator("a.upstream")).to_have_text(["postgres://shop/customers", "postgres://shop/orders"])
    expect(page.locator("a.downstream")).to_have_text(["s3://lake/reports/daily.csv", "s3://lake/reports/weekly.csv"])
    expect(page.locator("table.materializations tbody tr")).to_have_count(1)
    expect(page.locator("table.materializations td.metadata")).to_contain_text("<b>bold</b>")
    _no_script_ran(page)
    snap(page, "assets")

    page.locator("a.downstream", has_text="daily.csv").click()
    expect(page.locator(".head h1")).to_contain_text("s3://lake/reports/daily.csv")
    # the lineage goes up through the plain task to the upstream assets of clean orders
    expect(page.locator("svg.graph g.node")).to_have_count(4)
    page.goto(ui_server.url + "/asset?key=" + "postgres://shop/orders")
    expect(page.locator("a[rel~=noopener]")).to_have_attribute("href", "#")  # a javascript: url loses its target
    _no_script_ran(page)
    assert not problems.errors


def test_a_missing_asset_is_404(ui_server: UiServer, page: Any) -> None:
    assert page.goto(ui_server.url + "/asset?key=s3://never/made").status == 404
    assert page.goto(ui_server.url + "/asset").status == 404
