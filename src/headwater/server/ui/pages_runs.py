"""The run pages: dashboard, flow runs list, one flow run, one task run."""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from headwater.core import clock
from headwater.exceptions import ObjectNotFound
from headwater.server.api._deps import store_of
from headwater.server.ui.chart import STATE_ORDER, render_state_chart
from headwater.server.ui.graph import layout_graph, render_graph_svg
from headwater.server.ui.pages_artifacts import artifacts_for_run
from headwater.server.ui.templating import render
from headwater.server.ui.timeline import layout_timeline, render_timeline_svg
from headwater.store import Store
from headwater.store.ui_queries import SORTS, FlowRunQuery

__all__ = ["router", "not_found_page"]

router = APIRouter(include_in_schema=False)

RANGES = {"1h": 3600, "24h": 86400, "7d": 7 * 86400, "30d": 30 * 86400}
CHART_RANGES = {"24h": (24, 3600.0), "7d": (28, 6 * 3600.0)}
LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}
PAGE_SIZE = 50
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def not_found_page(request: Request, message: str) -> HTMLResponse:
    """The 404 page, saying what was not found."""
    return render(request, "not_found.html", {"message": message}, status_code=404)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, range: str = "24h") -> HTMLResponse:
    """Runs by state over the last 24 h or 7 d, failures, late runs, runs in flight, workers."""
    store = store_of(request)
    window = range if range in CHART_RANGES else "24h"
    buckets, bucket_seconds = CHART_RANGES[window]
    now = clock.now()
    since = (math.floor(now / bucket_seconds) - buckets + 1) * bucket_seconds
    counts = store.ui.state_counts(since, bucket_seconds)
    totals: dict[str, int] = {}
    for _, state, count in counts:
        totals[state] = totals.get(state, 0) + count
    context: dict[str, Any] = {
        "window": window,
        "chart": render_state_chart(counts, since=since, bucket_seconds=bucket_seconds, buckets=buckets),
        "totals": [(state, totals[state]) for state in STATE_ORDER if totals.get(state)],
        "total": sum(totals.values()),
        "failures": store.ui.runs_with_state(["FAILED", "CRASHED"], limit=8),
        "late": store.ui.runs_with_state(["SCHEDULED"], state_name="Late", limit=8),
        "running": store.ui.runs_with_state(["RUNNING", "CANCELLING"], limit=8),
        "workers": _workers(store),
    }
    return render(request, "dashboard.html", context)


def _workers(store: Store) -> list[Any]:
    """The workers (and serve processes) online now."""
    return [worker for worker in store.workers.list_workers() if worker.status == "ONLINE"]


def _parse_day(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return None


def runs_query(request: Request, store: Store) -> tuple[FlowRunQuery, dict[str, Any]]:
    """The flow runs list's filters from the query string, and what the form shows back."""
    params = request.query_params
    states = tuple(s for s in (v.upper() for v in params.getlist("state")) if s in STATE_ORDER)
    window = params.get("range", "")
    since = clock.now() - RANGES[window] if window in RANGES else _parse_day(params.get("from"))
    until = _parse_day(params.get("to"))
    if until is not None and window not in RANGES:
        until += 86400  # the "to" day is included
    else:
        until = None
    sort = params.get("sort", "newest")
    try:
        page = max(1, min(int(params.get("page", "1")), 10**6))
    except ValueError:
        page = 1
    deployment_ids: tuple[str, ...] | None = None
    if params.get("deployment"):
        deployment_ids = (params["deployment"],)
    elif params.get("project"):
        deployment_ids = tuple(d.id for d in store.deployments.list_deployments(project=params["project"]))
    query = FlowRunQuery(
        state_types=states, flow_name=params.get("flow") or None, tag=params.get("tag") or None,
        deployment_ids=deployment_ids,
        since=since, until=until, sort=sort if sort in SORTS else "newest", page=page, page_size=PAGE_SIZE,
    )
    shown = {"state": list(states), "flow": params.get("flow", ""), "tag": params.get("tag", ""),
             "deployment": params.get("deployment", ""), "project": params.get("project", ""),
             "range": window, "from": params.get("from", ""), "to": params.get("to", ""), "sort": query.sort}
    return query, shown


def _page_link(shown: dict[str, Any], **changes: Any) -> str:
    values = {**shown, **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        if isinstance(value, list):
            pairs.extend((key, str(v)) for v in value)
        elif value not in ("", None) and not (key == "page" and value == 1):
            pairs.append((key, str(value)))
    return "/runs" + ("?" + urlencode(pairs) if pairs else "")


@router.get("/runs", response_class=HTMLResponse)
def flow_runs_list(request: Request) -> HTMLResponse:
    """Flow runs, filtered by state, flow, tag and time; newest first by default; 50 per page."""
    store = store_of(request)
    query, shown = runs_query(request, store)
    page = store.ui.flow_runs(query)
    pages = max(1, math.ceil(page.total / PAGE_SIZE))
    context = {
        "runs": page.runs, "total": page.total, "page": query.page, "pages": pages, "shown": shown,
        "flows": store.ui.flow_names(), "deployments": store.deployments.list_deployments(),
        "projects": store.deployments.list_projects(),
        "states": STATE_ORDER, "sorts": list(SORTS), "ranges": list(RANGES),
        "prev_link": _page_link(shown, page=query.page - 1) if query.page > 1 else None,
        "next_link": _page_link(shown, page=query.page + 1) if query.page < pages else None,
        "sort_links": {name: _page_link(shown, sort=name) for name in SORTS},
    }
    return render(request, "flow_runs.html", context)


def flow_run_views(store: Store, flow_run_id: str) -> dict[str, Any]:
    """The timeline and graph of a flow run (also served alone for live updates)."""
    task_runs = store.ui.task_runs(flow_run_id)
    edges = store.ui.edges(flow_run_id)
    timeline = layout_timeline(task_runs, clock.now())
    graph = layout_graph(task_runs, edges)
    return {
        "task_runs": task_runs,
        "timeline": timeline,
        "timeline_svg": render_timeline_svg(timeline),
        "graph": graph,
        "graph_svg": render_graph_svg(graph, flow_run_id),
    }


@router.get("/runs/{flow_run_id}", response_class=HTMLResponse)
def flow_run_page(request: Request, flow_run_id: str, level: str = "info") -> HTMLResponse:
    """A flow run: state and history, parameters, timeline, graph, logs, subflows, actions."""
    store = store_of(request)
    try:
        run = store.flow_runs.read_flow_run_by_id(flow_run_id)
    except ObjectNotFound:
        return not_found_page(request, f"There is no flow run with id {flow_run_id!r}.")
    min_level = LEVELS.get(level, 20)
    # Read first: anything that changes while the page is built is fetched again by its first poll.
    since, newest_log = store.ui.newest_activity(flow_run_id)
    logs = store.ui.logs(flow_run_id=flow_run_id, min_level=min_level, tail=500)
    views = flow_run_views(store, flow_run_id)
    context = {
        "run": run,
        "states": store.history.read_states(flow_run_id),
        "deployment": store.deployments.deployment_of_flow_run(flow_run_id),
        "parent": store.ui.parent_flow_run(run.parent_task_run_id) if run.parent_task_run_id else None,
        "subflows": store.ui.subflow_runs(flow_run_id),
        "logs": logs,
        "since": since,
        "log_after": max([newest_log, *(line.id for line in logs[-1:])]),
        "level": level if level in LEVELS else "info",
        "levels": list(LEVELS),
        "final": run.state is not None and run.state.type in FINAL,
        "task_runs_shown": views["task_runs"][:200],
        "artifacts": artifacts_for_run(request, flow_run_id=flow_run_id),
        **views,
    }
    from headwater.server.ui.pages_pause import resume_form_context  # it imports this module

    context.update(resume_form_context(store, run))
    return render(request, "flow_run.html", context)


@router.get("/task-runs/{task_run_id}", response_class=HTMLResponse)
def task_run_page(request: Request, task_run_id: str) -> HTMLResponse:
    """A task run: state history, inputs and who used its result, cache info, logs."""
    store = store_of(request)
    try:
        task_run = store.history.read_task_run(task_run_id)
    except ObjectNotFound:
        return not_found_page(request, f"There is no task run with id {task_run_id!r}.")
    flow_run = None
    if task_run.flow_run_id:
        try:
            flow_run = store.flow_runs.read_flow_run_by_id(task_run.flow_run_id)
        except ObjectNotFound:
            flow_run = None
    states = store.history.read_states(task_run_id)
    details: dict[str, Any] = {}
    for state in states:
        details.update(state.details or {})
    details.pop("scheduled_time", None)
    context = {
        "task_run": task_run,
        "flow_run": flow_run,
        "states": states,
        "details": details,
        "upstream": store.ui.task_run_links(task_run.upstream),
        "downstream": store.ui.downstream(task_run_id),
        "logs": store.ui.logs(task_run_id=task_run_id, tail=500),
        "artifacts": artifacts_for_run(request, task_run_id=task_run_id),
    }
    return render(request, "task_run.html", context)
