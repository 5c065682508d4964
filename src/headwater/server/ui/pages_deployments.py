"""Flows and deployments (grouped by project), a deployment's page (with a static flow's
graph before any run), the Run form, and work pools with their workers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from headwater.core.deployment_schemas import DeploymentInfo, DeploymentRunCreate, DeploymentUpdate
from headwater.exceptions import ObjectNotFound, ParameterValidationError
from headwater.server.api._deps import operations_of, store_of
from headwater.server.ui.forms import read_form
from headwater.server.ui.graph import layout_static_graph, render_graph_svg
from headwater.server.ui.pages_runs import not_found_page
from headwater.server.ui.param_form import fields_of, parse_fields
from headwater.server.ui.templating import SECURITY_HEADERS, render
from headwater.store.ui_queries import FlowRunQuery

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/flows", response_class=HTMLResponse)
def flows_page(request: Request) -> HTMLResponse:
    """Every project with its deployments (schedules, next runs, status), then flows without one."""
    store = store_of(request)
    deployments = store.deployments.list_deployments()
    by_project: dict[str, list[DeploymentInfo]] = {project.name: [] for project in store.deployments.list_projects()}
    for deployment in deployments:
        by_project.setdefault(deployment.project, []).append(deployment)
    deployed = {d.flow_name for d in deployments}
    context = {
        "projects": sorted(by_project.items()),
        "other_flows": [name for name in store.ui.flow_names() if name not in deployed],
    }
    return render(request, "flows.html", context)


@router.get("/deployments/{deployment_id}", response_class=HTMLResponse)
def deployment_page(request: Request, deployment_id: str) -> HTMLResponse:
    """A deployment: what it runs and where, its schedules and retries, its recent runs,
    and, for a Prefect 1 style flow, the graph it registered, drawn before any run."""
    store = store_of(request)
    try:
        deployment = store.deployments.read_deployment(deployment_id)
    except ObjectNotFound:
        return not_found_page(request, f"There is no deployment with id {deployment_id!r}.")
    graph = graph_svg = None
    if deployment.static_graph is not None and deployment.static_graph.nodes:
        graph = layout_static_graph(deployment.static_graph)
        graph_svg = render_graph_svg(graph, "", static=True)
    recent = store.ui.flow_runs(FlowRunQuery(deployment_ids=(deployment.id,), page_size=10))
    context = {"deployment": deployment, "graph": graph, "graph_svg": graph_svg, "runs": recent.runs,
               "total_runs": recent.total}
    return render(request, "deployment.html", context)


@router.post("/deployments/{deployment_id}/pause")
async def pause_deployment(request: Request, deployment_id: str) -> Response:
    """Pause (`paused=true`) or resume a deployment's schedules."""
    form = await read_form(request)
    try:
        operations_of(request).update_deployment(deployment_id, DeploymentUpdate(paused=form.get("paused") == "true"))
    except ObjectNotFound:
        return not_found_page(request, f"There is no deployment with id {deployment_id!r}.")
    return RedirectResponse("/flows", status_code=303, headers=SECURITY_HEADERS)


def _run_page(request: Request, deployment: DeploymentInfo, fields: list[Any], *, problems: dict[str, str],
              error: str | None, status_code: int = 200) -> HTMLResponse:
    context = {"deployment": deployment, "fields": fields, "problems": problems, "error": error}
    return render(request, "run_deployment.html", context, status_code=status_code)


@router.get("/deployments/{deployment_id}/run", response_class=HTMLResponse)
def run_form(request: Request, deployment_id: str) -> HTMLResponse:
    """The Run form, generated from the flow's parameter schema and the deployment's defaults."""
    try:
        deployment = store_of(request).deployments.read_deployment(deployment_id)
    except ObjectNotFound:
        return not_found_page(request, f"There is no deployment with id {deployment_id!r}.")
    fields = fields_of(deployment.parameter_schema, deployment.parameters)
    return _run_page(request, deployment, fields, problems={}, error=None)


@router.post("/deployments/{deployment_id}/run", response_class=HTMLResponse)
async def run_deployment(request: Request, deployment_id: str) -> Response:
    """Check the posted parameters and create the run; then show it."""
    store = store_of(request)
    try:
        deployment = store.deployments.read_deployment(deployment_id)
    except ObjectNotFound:
        return not_found_page(request, f"There is no deployment with id {deployment_id!r}.")
    fields = fields_of(deployment.parameter_schema, deployment.parameters)
    form = await read_form(request)
    parameters, problems = parse_fields(fields, form)
    if problems:
        return _run_page(request, deployment, fields, problems=problems, status_code=422,
                         error="Some parameters are not valid; see below.")
    try:
        run = operations_of(request).create_deployment_run(deployment.id, DeploymentRunCreate(parameters=parameters))
    except ParameterValidationError as exc:
        return _run_page(request, deployment, fields, problems={}, error=str(exc), status_code=422)
    return RedirectResponse(f"/runs/{run.id}", status_code=303, headers=SECURITY_HEADERS)


@router.get("/work-pools", response_class=HTMLResponse)
def work_pools_page(request: Request) -> HTMLResponse:
    """Work pools (status, limit, runs in flight) and every worker with its last heartbeat."""
    store = store_of(request)
    workers = store.workers.list_workers()
    by_pool: dict[str, list[Any]] = {}
    for worker in workers:
        by_pool.setdefault(worker.work_pool_name or "", []).append(worker)
    context = {"pools": store.workers.list_work_pools(), "workers": by_pool}
    return render(request, "work_pools.html", context)
