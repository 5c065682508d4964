"""Flows and deployments: run a served deployment from its form and watch it complete."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import FLOWS, PageProblems, UiServer, snap, wait_until


def test_run_a_deployment_from_its_form_and_see_it_complete(ui_server: UiServer, page: Any,
                                                            problems: PageProblems) -> None:
    serve = subprocess.Popen([sys.executable, str(FLOWS), "serve"], env=ui_server.flow_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        def deployment_ready() -> bool:
            assert serve.poll() is None, f"serve exited: {serve.stderr.read() if serve.stderr else ''}"
            response = httpx.get(f"{ui_server.url}/api/deployments/name/greet/greeter")
            return response.status_code == 200 and response.json()["status"] == "READY"

        wait_until(deployment_ready, 60, "the served deployment to be ready")
        page.goto(ui_server.url + "/flows")
        row = page.locator("tr[data-deployment='greet/greeter']")
        expect(row).to_contain_text("every 3600 s")
        expect(row).to_contain_text("ready")
        snap(page, "flows-and-deployments")
        row.locator("a", has_text="Run").click()
        expect(page.locator("h1")).to_have_text("Run greet/greeter")

        # The browser refuses a missing required value and bad JSON before posting.
        page.locator("button", has_text="Run").click()
        expect(page.locator("[data-error-for='p:name']")).not_to_be_empty()
        page.fill("input[name='p:name']", "<b>Ada</b>")
        page.fill("textarea[name='p:extra']", "{not json")
        page.locator("button", has_text="Run").click()
        expect(page.locator("[data-error-for='p:extra']")).to_contain_text("not valid JSON")
        assert "/run" in page.url

        # The server checks again: a value the schema refuses is named.
        deployment_id = page.url.split("/deployments/")[1].split("/")[0]
        refused = httpx.post(f"{ui_server.url}/deployments/{deployment_id}/run",
                             data={"p:name": "x", "p:times": "many"})
        assert refused.status_code == 422 and "not a valid integer" in refused.text
        refused = httpx.post(f"{ui_server.url}/deployments/{deployment_id}/run",
                             data={"p:name": "x", "p:extra": "[1, 2]"})
        assert refused.status_code == 422 and "parameters.extra" in refused.text

        page.fill("input[name='p:times']", "2")
        page.check("input[name='p:loud']")
        page.fill("textarea[name='p:extra']", '{"city": "Paris"}')
        snap(page, "run-form")
        page.locator("button", has_text="Run").click()
        page.wait_for_url(f"{ui_server.url}/runs/*")
        expect(page.locator("#run-state .state")).to_have_text("Completed", timeout=60_000)
        expect(page.locator("#parameters")).to_contain_text('"<b>Ada</b>"')
        expect(page.locator("#logs .log", has_text="HELLO <B>ADA</B>")).to_have_count(2, timeout=10_000)
        expect(page.locator(".facts")).to_contain_text("greet/greeter")
    finally:
        serve.terminate()
        serve.communicate(timeout=60)
    assert not [e for e in problems.errors if "422" not in e]


def test_pause_and_resume_a_deployment(ui_server: UiServer, page: Any) -> None:
    body = {"name": "nightly", "flow_name": "etl", "entrypoint": f"{FLOWS}:etl", "project": "analytics",
            "create_project": True, "schedules": [{"cron": "0 2 * * *"}]}
    assert httpx.post(f"{ui_server.url}/api/deployments/", json=body).status_code in (200, 201)
    page.goto(ui_server.url + "/flows")
    row = page.locator("tr[data-deployment='etl/nightly']")
    expect(page.locator("section[data-project=analytics]")).to_contain_text("nightly")
    expect(row).to_contain_text("next:")
    row.locator("button", has_text="Pause").click()
    expect(row.locator(".state.s-PAUSED")).to_have_text("paused")
    row.locator("button", has_text="Resume").click()
    expect(row.locator(".state.s-PAUSED")).to_have_count(0)
    page.goto(ui_server.url + "/runs?project=analytics")
    expect(page.locator(".empty")).to_contain_text("No flow runs match")


def test_work_pools_page_shows_a_real_worker(ui_server: UiServer, page: Any) -> None:
    assert httpx.post(f"{ui_server.url}/api/work_pools/", json={"name": "ui-pool", "concurrency_limit": 4}
                      ).status_code == 201
    exe = Path(sys.executable).with_name("headwater")
    worker = subprocess.Popen([str(exe), "worker", "start", "--pool", "ui-pool", "--name", "ui-worker-1",
                               "--heartbeat-interval", "0.2"], env=ui_server.flow_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: httpx.get(f"{ui_server.url}/api/work_pools/ui-pool").json()["workers_online"] == 1, 30,
                   "the worker to come online")
        page.goto(ui_server.url + "/work-pools")
        pool = page.locator("section[data-pool=ui-pool]")
        expect(pool.locator("h2 .state")).to_have_text("ready")
        expect(pool.locator("table.workers")).to_contain_text("ui-worker-1")
        expect(pool.locator("table.workers")).to_contain_text("online")
        expect(pool.locator(".facts")).to_contain_text("4")
        snap(page, "work-pools")
        page.goto(ui_server.url + "/")
        expect(page.locator("section", has_text="Workers online")).to_contain_text("ui-worker-1")
    finally:
        worker.terminate()
        worker.communicate(timeout=60)


def test_a_registered_static_flow_shows_its_graph_before_any_run(ui_server: UiServer, page: Any,
                                                                 problems: PageProblems) -> None:
    script = Path(__file__).with_name("ui_static_flow.py")
    registered = subprocess.run([sys.executable, str(script)], env=ui_server.flow_env(), capture_output=True,
                                text=True, timeout=60)
    assert registered.returncode == 0, registered.stderr
    deployment_id = registered.stdout.split()[0]
    page.goto(ui_server.url + "/flows")
    row = page.locator("tr[data-deployment='GitHub_Trending_Static/GitHub_Trending_Static']")
    row.locator(f"a[href='/deployments/{deployment_id}']").click()
    expect(page.locator("h1")).to_have_text("GitHub_Trending_Static/GitHub_Trending_Static")
    graph = page.locator("#static-graph svg.graph.static")
    expect(graph).to_be_visible()
    nodes = graph.locator("g.node")
    expect(nodes).to_have_count(5)
    expect(graph.locator("g.node.k-parameter")).to_contain_text("since")
    expect(graph.locator("g.node.k-mapped")).to_contain_text("announce")
    expect(graph.locator("path.edge.data")).to_have_count(3)
    expect(graph.locator("path.edge.wait_for")).to_have_count(1)
    # Drawn left to right in dependency order: each node right of the one it waits for.
    xs = {key: page.locator(f"#static-graph g.node[data-key='{key}']").bounding_box()["x"]
          for key in ("since", "download_data", "handle_data", "save_data", "announce")}
    assert xs["since"] < xs["download_data"] < xs["handle_data"] < xs["save_data"] < xs["announce"]
    expect(page.locator("section", has_text="Recent runs")).to_contain_text("No runs yet")
    snap(page, "static-flow-graph")
    nodes.first.click()  # not a link: the page stays
    assert page.url.endswith(f"/deployments/{deployment_id}")
    assert not problems.errors, problems.errors
