"""The Resume form of a paused flow run: generated from the JSON schema of the input the
run waits for, checked in the browser (the page's script) and again on the server (the
same operation as `POST /api/flow_runs/{id}/resume`); a refusal shows each field's
problem and leaves the run paused."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from headwater.core.flow_run_input_schemas import ResumeRequest, pause_details_of
from headwater.core.schemas import FlowRunInfo
from headwater.exceptions import ObjectNotFound
from headwater.server.api._deps import operations_of, store_of
from headwater.server.ui.forms import read_form
from headwater.server.ui.pages_runs import not_found_page
from headwater.server.ui.param_form import Field, fields_of, parse_fields
from headwater.server.ui.templating import SECURITY_HEADERS, render

__all__ = ["resume_form_context", "router"]

router = APIRouter(include_in_schema=False)


def resume_form_context(store: Any, run: FlowRunInfo) -> dict[str, Any]:
    """What the flow run page needs to show the Resume form: `resume` is None unless the
    run is paused; else its pause (`suspended`, `description`, `waits_for_input`,
    `schema_missing`) and the form's `fields`."""
    if run.state is None or run.state.type != "PAUSED":
        return {"resume": None}
    state = store.flow_run_input.current_state(run.id)
    pause = pause_details_of(state.details if state is not None else None)
    keyset = pause.run_input_keyset or {}
    fields: list[Field] = []
    description = None
    schema_missing = False
    if keyset:
        try:
            schema = json.loads(store.flow_run_input.read(run.id, keyset["schema"]).value)
            fields = fields_of(schema if isinstance(schema, dict) else {}, {})
        except (ObjectNotFound, ValueError):
            schema_missing = True  # saved right after the pause: a reload shows the form
        try:
            description = json.loads(store.flow_run_input.read(run.id, keyset["description"]).value)
        except (ObjectNotFound, ValueError):
            description = None
    return {"resume": {"suspended": pause.pause_reschedule, "description": description, "fields": fields,
                       "waits_for_input": bool(keyset), "schema_missing": schema_missing,
                       "timeout": pause.pause_timeout, "problems": {}, "error": None}}


@router.post("/runs/{flow_run_id}/resume", response_class=HTMLResponse)
async def resume_run(request: Request, flow_run_id: str) -> Response:
    """Check the posted input and resume the run; on a refusal show the form again with
    each field's problem (422), the run still paused."""
    store = store_of(request)
    try:
        run = store.flow_runs.read_flow_run_by_id(str(UUID(flow_run_id)))
    except (ObjectNotFound, ValueError):
        return not_found_page(request, f"There is no flow run with id {flow_run_id!r}.")
    context = resume_form_context(store, run)
    resume = context["resume"]
    if resume is None:
        return _page(request, run, None, error=f"Flow run {run.name!r} is not paused: it cannot be resumed.")
    form = await read_form(request)
    run_input, problems = parse_fields(resume["fields"], form)
    if problems:
        return _page(request, run, resume, problems=problems, error="Some fields are not valid; see below.")
    body = ResumeRequest(run_input=run_input if resume["waits_for_input"] else None)
    result = operations_of(request).resume_flow_run(run.id, body)
    if result.status == "ACCEPT":
        return RedirectResponse(f"/runs/{run.id}", status_code=303, headers=SECURITY_HEADERS)
    field_errors = {k: v for k, v in (result.details.get("field_errors") or {}).items() if k}
    general = [e for e in result.details.get("errors") or [] if e.startswith("run_input:")]
    if field_errors:
        error = "The input was refused (see the fields below); the run stays paused."
    else:
        error = "; ".join(general) or str(result.details.get("reason") or "The run could not be resumed.")
    if result.state is not None and result.state.type == "FAILED":
        error = f"The pause timed out: {result.state.message}"
    return _page(request, run, resume, problems=field_errors, error=error)


def _page(request: Request, run: FlowRunInfo, resume: dict[str, Any] | None, *,
          problems: dict[str, str] | None = None, error: str | None = None) -> HTMLResponse:
    if resume is not None:
        resume = {**resume, "problems": problems or {}, "error": error}
    return render(request, "resume_run.html", {"run": run, "resume": resume, "error": error}, status_code=422)
