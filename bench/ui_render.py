"""Web UI: a flow run with 5,000 task runs in Chromium, and the flow runs list over 100,000 runs.

    python bench/ui_render.py [--task-runs 5000] [--flow-runs 100000]

A real flow (prep -> scale mapped over half the items -> check mapped over scale's
results -> report) makes `--task-runs` task runs (embedded mode, into a fresh HEADWATER_HOME); `--flow-runs` more flow runs are written straight into the store;
then `headwater server start` serves the UI and Debian's headless Chromium opens:

- the flow run page: time from navigation to the load event, with the timeline (every
  bar drawn; the runs of one task packed into shared rows) and the graph (the mapped
  task grouped into one node) in the page; then the time a hover card takes to show;
- the flow runs list: server time of page 1, of page 1,000, and of a state + flow filter
  (median of 5 requests each).

Target: the flow run page under 2 s. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _common import emit, headwater_env, machine, run_child

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

FLOW = """
import json
from headwater import flow, task, unmapped
from headwater.runtime import flow_run

@task
def prep() -> dict:
    return {"factor": 2}

@task
def scale(i: int, cfg: dict) -> list:
    return [i * cfg["factor"]]

@task
def check(value: list) -> int:
    return value[0]

@task
def report(total: int) -> int:
    return total

@flow(name="wide")
def wide(n: int) -> str:
    cfg = prep.submit()
    half = (n - 2) // 2
    scaled = scale.map(range(half), cfg=unmapped(cfg))
    checked = check.map(scaled)
    report.submit(sum(f.result() for f in checked), wait_for=[cfg]).result()
    return flow_run.id

print(json.dumps({"flow_run_id": wide(%d)}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _many_flow_runs(home: Path, count: int) -> None:
    from headwater.core.settings import load_settings
    from headwater.orchestrator.records import FlowRunCreated, StateChanged
    from headwater.store import open_store
    from headwater.core.ids import new_id

    states = ("COMPLETED", "COMPLETED", "COMPLETED", "FAILED", "RUNNING", "CANCELLED")
    start = time.time() - 7 * 86400
    with open_store(load_settings(home=home)) as store:
        for offset in range(0, count, 5000):
            records: list[object] = []
            for i in range(offset, min(offset + 5000, count)):
                run_id, created = new_id(), start + i * (7 * 86400 / count)
                flow_name = f"flow-{i % 20}"
                records.append(FlowRunCreated(run_id, flow_name, f"run-{i}", {"i": i}, [f"t{i % 7}"], None, created))
                state = states[i % len(states)]
                records.append(StateChanged(run_id, False, state, state.capitalize(), None, created + 1, None))
            store.history.write(records)  # type: ignore[arg-type]


def _median_ms(client: httpx.Client, path: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        assert client.get(path).status_code == 200, path
        times.append(time.perf_counter() - began)
    return round(statistics.median(times) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--task-runs", type=int, default=5000)
    parser.add_argument("--flow-runs", type=int, default=100_000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="headwater-bench-ui-") as tmp:
        home = Path(tmp)
        flow_run_id = run_child(FLOW % args.task_runs, home, home / "flow.log")["flow_run_id"]
        _many_flow_runs(home, args.flow_runs)
        port = _free_port()
        server = subprocess.Popen([str(Path(sys.executable).with_name("headwater")), "server", "start", "--port",
                                   str(port)], env=headwater_env(home), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not start within 60 s")
                time.sleep(0.05)
            with httpx.Client(base_url=base, timeout=60) as client:
                client.get(f"/runs/{flow_run_id}")  # warm the server's caches and templates once
                page_server_ms = _median_ms(client, f"/runs/{flow_run_id}", runs=3)
                list_first_ms = _median_ms(client, "/runs")
                list_deep_ms = _median_ms(client, "/runs?page=1000")
                list_filtered_ms = _median_ms(client, "/runs?state=FAILED&flow=flow-3&page=3")
                list_tag_ms = _median_ms(client, "/runs?tag=t3&range=24h")
                dashboard_ms = _median_ms(client, "/?range=7d")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{base}/runs/{flow_run_id}", wait_until="load")
                load_ms = page.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return n.loadEventEnd - n.startTime; }")
                bars = page.locator("#timeline rect.bar").count()
                rows = page.locator("#timeline text.label").count()
                nodes = page.locator("#graph g.node").count()
                began = time.perf_counter()
                page.locator("#timeline rect.bar").nth(bars // 2).hover(force=True)
                page.locator("#hovercard").wait_for(state="visible")
                hover_ms = (time.perf_counter() - began) * 1000
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    emit({
        "bench": "ui_render",
        "task_runs": args.task_runs,
        "flow_runs": args.flow_runs + 1,
        "flow_run_page_load_ms": round(load_ms, 1),
        "flow_run_page_server_ms": page_server_ms,
        "timeline_bars": bars,
        "timeline_labelled_rows": rows,
        "graph_nodes": nodes,
        "hover_ms": round(hover_ms, 1),
        "runs_list_page1_ms": list_first_ms,
        "runs_list_page1000_ms": list_deep_ms,
        "runs_list_filtered_ms": list_filtered_ms,
        "runs_list_tag_24h_ms": list_tag_ms,
        "dashboard_7d_ms": dashboard_ms,
        "target_page_load_ms": 2000,
        "machine": machine(),
    })


if __name__ == "__main__":
    main()
