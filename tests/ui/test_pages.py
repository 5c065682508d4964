"""Each page against a real server with real runs, in Chromium."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import PageProblems, UiServer, snap


def test_dashboard_shows_runs_by_state_and_failures(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    page.goto(ui_server.url + "/")
    expect(page.locator("h1")).to_have_text("Dashboard")
    assert page.locator("svg.chart rect.s-COMPLETED").count() >= 1
    assert page.locator("svg.chart rect.s-FAILED").count() >= 1
    failures = page.locator("ul.failures li")
    expect(failures.first).to_contain_text("fails")
    expect(failures.first.locator(".errline")).to_have_text("Flow run encountered an exception: ValueError: the "
                                                            "<b>input</b> file is missing")
    snap(page, "dashboard")
    page.locator("a", has_text="7 d").click()
    expect(page).to_have_url(ui_server.url + "/?range=7d")
    assert page.locator("svg.chart rect.s-COMPLETED").count() >= 1
    assert not problems.errors


def test_flow_runs_list_filters_sorts_and_pages(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    page.goto(ui_server.url + "/runs")
    rows = page.locator("#runs-table tbody tr")
    assert rows.count() >= 4  # etl, its subflow child, xss, fails (and runs of other tests)
    snap(page, "flow-runs")
    page.locator("input[name=state][value=FAILED]").check()
    page.locator("button", has_text="Apply").click()
    page.wait_for_url("**/runs?state=FAILED*")
    # Other tests of this package add runs to the shared server (the automations page
    # runs "fails" again and a deployment of etl): expect what the API counts now.
    def count(flow_runs: dict[str, Any], flows: dict[str, Any] | None = None) -> int:
        body: dict[str, Any] = {"flow_runs": flow_runs, **({"flows": flows} if flows else {})}
        with httpx.Client(base_url=ui_server.url + "/api/", timeout=30) as api:
            return int(api.post("flow_runs/count", json=body).json())

    failed = count({"state": {"type": {"any_": ["FAILED"]}}})
    assert failed >= 1
    expect(rows).to_have_count(failed)
    expect(rows.first).to_contain_text("fails")
    page.goto(ui_server.url + "/runs?flow=etl")
    etl_runs = count({}, {"name": {"any_": ["etl"]}})
    expect(rows).to_have_count(etl_runs)
    page.goto(ui_server.url + "/runs?sort=flow")
    flows = page.locator("#runs-table tbody tr td:nth-child(2)").all_inner_texts()
    assert flows == sorted(flows)
    page.goto(ui_server.url + "/runs?page=999")
    expect(page.locator(".empty")).to_contain_text("No flow runs match")
    assert not problems.errors


def test_flow_run_page_draws_timeline_bars_and_graph_nodes(ui_server: UiServer, page: Any,
                                                           problems: PageProblems) -> None:
    run_id = ui_server.runs["etl"]
    page.goto(f"{ui_server.url}/runs/{run_id}")
    expect(page.locator("#run-state .state")).to_have_text("Completed")
    # extract, 4 x transform, summarize, load, and the subflow's task run: 8 bars.
    bars = page.locator("#timeline rect.bar")
    expect(bars).to_have_count(8)
    assert page.locator("#timeline rect.bar.s-COMPLETED").count() == 8
    # The 4 mapped transform runs are one group node; the others one node each.
    nodes = page.locator("#graph g.node")
    expect(nodes).to_have_count(5)
    group = page.locator("#graph g.node.group")
    expect(group).to_have_count(1)
    expect(group).to_have_attribute("data-count", "4")
    expect(group.locator("text").first).to_have_text("transform")
    assert page.locator("#graph path.edge.data").count() == 2  # extract -> transform, transform -> summarize
    assert page.locator("#graph path.edge.wait_for").count() == 1  # extract -> load
    # Hover a bar: the card names the run, its state and duration.
    page.locator("#timeline rect.bar").first.hover()
    expect(page.locator("#hovercard")).to_be_visible()
    expect(page.locator("#hovercard strong")).to_contain_text("extract")
    expect(page.locator("#hovercard")).to_contain_text("Completed")
    # Expand the group with the keyboard.
    group.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#group-panel li")).to_have_count(4)
    expect(page.locator("#parameters")).to_contain_text("daily")
    expect(page.locator("#logs")).to_contain_text("loaded 4 parts")
    snap(page, "flow-run")
    # Level filter: warnings and above only.
    page.select_option("#level", "warning")
    expect(page).to_have_url(f"{ui_server.url}/runs/{run_id}?level=warning")
    expect(page.locator("#logs .log")).to_have_count(1)
    # The subflow is linked, and links back.
    page.goto(f"{ui_server.url}/runs/{run_id}")
    page.locator("#subflows a", has_text="").first.click()
    expect(page.locator(".crumbs")).to_contain_text("subflow of")
    assert not problems.errors


def test_task_run_page_shows_inputs_cache_and_logs(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    page.goto(f"{ui_server.url}/runs/{ui_server.runs['etl']}")
    page.locator("#task-table a", has_text="extract").click()
    expect(page.locator("h1")).to_contain_text("extract")
    expect(page.locator("section", has_text="Used by").locator("li")).to_have_count(5)  # 4 transforms + load
    expect(page.locator(".logs")).to_contain_text("extracted 4 rows")
    snap(page, "task-run")
    page.locator("a", has_text="transform").first.click()
    expect(page.locator("section", has_text="Inputs from").locator("li").first).to_contain_text("extract")
    assert not problems.errors


def test_unknown_ids_give_a_404_page(ui_server: UiServer, page: Any) -> None:
    for path in ("/runs/not-a-run", "/task-runs/01a1ffc3-0000-7000-8000-000000000000", "/no/such/page"):
        response = page.goto(ui_server.url + path)
        assert response is not None and response.status == 404
        expect(page.locator("h1")).to_have_text("Not found")
    assert httpx.get(ui_server.url + "/api/flow_runs/not-a-uuid").status_code in (404, 422)  # the API stays JSON
    assert httpx.get(ui_server.url + "/api/nothing").headers["content-type"].startswith("application/json")


def test_concurrency_page_creates_and_edits_limits(ui_server: UiServer, page: Any, problems: PageProblems) -> None:
    page.goto(ui_server.url + "/concurrency")
    page.fill("input[name=name]", "warehouse")
    page.fill("form[action='/concurrency'] input[name=limit]", "3")
    page.locator("form[action='/concurrency'] button", has_text="Create").click()
    row = page.locator("tr[data-limit=warehouse]")
    expect(row).to_contain_text("0 / 3")
    row.locator("input[name=limit]").fill("5")
    row.locator("button", has_text="Save").click()
    expect(page.locator("tr[data-limit=warehouse]")).to_contain_text("0 / 5")
    page.select_option("select[name=kind]", "tag")
    page.fill("input[name=name]", "db")
    page.fill("form[action='/concurrency'] input[name=limit]", "2")
    page.locator("form[action='/concurrency'] button", has_text="Create").click()
    expect(page.locator("tr[data-limit='tag:db']")).to_contain_text("tag")
    snap(page, "concurrency")
    page.fill("input[name=name]", "bad/name")
    page.fill("form[action='/concurrency'] input[name=limit]", "2")
    page.locator("form[action='/concurrency'] button", has_text="Create").click()
    expect(page.locator("p.error")).to_contain_text("cannot be used in a limit name")
    assert not [e for e in problems.errors if "422" not in e]


def test_dark_colour_scheme_is_followed(ui_server: UiServer, page: Any) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(f"{ui_server.url}/runs/{ui_server.runs['etl']}")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(20, 24, 29)"
    expect(page.locator("#graph g.node")).to_have_count(5)
    snap(page, "flow-run-dark")
    page.emulate_media(color_scheme="light")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(247, 248, 250)"
