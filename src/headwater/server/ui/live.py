"""Small JSON endpoints the pages poll for live updates, and the run actions.

A page in flight asks every couple of seconds what changed since its last look
(`/ui/api/...`): the run's state, the task runs updated since then, the log lines
after the last one shown. The answer is a few hundred bytes when nothing moved; the
page patches the parts that changed and re-fetches the timeline and graph (one
server-rendered SVG fragment each) only when task runs changed.

Cancel and retry call the REST API's own endpoint functions, so the UI follows
exactly the rules of `POST /api/flow_runs/{id}/cancel` and `/retry`.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from headwater.core import clock
from headwater.exceptions import InvalidStateTransition, ObjectNotFound
from headwater.server.api._deps import operations_of, store_of
from headwater.server.ui.format import duration_text, error_line, iso, level_name
from headwater.server.ui.pages_runs import LEVELS, flow_run_views
from headwater.server.ui.templating import SECURITY_HEADERS

__all__ = ["router"]

router = APIRouter(prefix="/ui/api", include_in_schema=False)

MAX_IDS = 200


def _json(content: Any, status_code: int = 200) -> JSONResponse:
    return JSONResponse(content, status_code=status_code, headers=SECURITY_HEADERS)


def _state(state_type: str | None, state_name: str | None) -> dict[str, Any]:
    return {"type": state_type or "PENDING", "name": state_name or (state_type or "Pending").capitalize()}


@router.get("/flow-runs/{flow_run_id}/live")
def flow_run_live(request: Request, flow_run_id: str, since: float = 0.0, log_after: int = 0,
                  level: str = "info") -> JSONResponse:
    """What changed in a flow run since `since` (updated time) and log row `log_after`."""
    store = store_of(request)
    try:
        run = store.flow_runs.read_flow_run_by_id(flow_run_id)
    except ObjectNotFound as exc:
        return _json({"detail": str(exc)}, 404)
    updated, newest_log = store.ui.newest_activity(flow_run_id)
    changed = store.ui.task_runs_updated(flow_run_id, since) if updated > since else []
    logs = []
    if newest_log > log_after:
        logs = [
            {"id": row.id, "level": level_name(row.level), "levelno": row.level, "logger": row.logger,
             "message": row.message, "time": iso(row.timestamp), "task_run_id": row.task_run_id}
            for row in store.ui.logs(flow_run_id=flow_run_id, after_id=log_after, min_level=LEVELS.get(level, 20),
                                     tail=500)
        ]
    state = run.state
    return _json({
        "state": _state(state.type if state else None, state.name if state else None),
        "message": error_line(state.message if state else None),
        "duration": duration_text(run.duration_s if run.end_time else
                                  (clock.now() - run.start_time.timestamp() if run.start_time else None)),
        "since": updated,
        "log_after": max([log_after, newest_log]),
        "task_runs_changed": len(changed),
        "task_runs": [{"id": r.id, "state": _state(r.state_type, r.state_name)} for r in changed[:MAX_IDS]],
        "logs": logs,
        "final": bool(state and state.type in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}),
    })


@router.get("/flow-runs/{flow_run_id}/views")
def flow_run_views_fragment(request: Request, flow_run_id: str) -> JSONResponse:
    """The timeline and graph SVG of a flow run, re-rendered (when its task runs changed)."""
    store = store_of(request)
    if store.ui.flow_run_updated(flow_run_id) is None:
        return _json({"detail": f"no flow run with id {flow_run_id!r}"}, 404)
    views = flow_run_views(store, flow_run_id)
    return _json({"timeline": str(views["timeline_svg"]), "graph": str(views["graph_svg"]),
                  "task_runs": len(views["task_runs"])})


@router.get("/flow-runs/{flow_run_id}/group")
def graph_group(request: Request, flow_run_id: str, key: str) -> JSONResponse:
    """The task runs behind a grouped graph node (a mapped task), for expanding it."""
    rows = [row for row in store_of(request).ui.task_runs(flow_run_id) if f"k:{row.task_key}" == key]
    return _json({
        "count": len(rows),
        "runs": [{"id": r.id, "name": r.name, "index": r.dynamic_key, "state": _state(r.state_type, r.state_name),
                  "duration": duration_text(r.end_time - r.start_time if r.end_time and r.start_time else None)}
                 for r in rows[:MAX_IDS]],
    })


@router.get("/flow-runs/states")
def flow_run_states(request: Request, ids: str = "") -> JSONResponse:
    """The current state of some flow runs (the list page refreshes the rows it shows)."""
    wanted = [i for i in ids.split(",") if i][:MAX_IDS]
    states: dict[str, Any] = {}
    for run_id, run in store_of(request).ui.flow_run_states(wanted).items():
        state = run.state
        states[run_id] = {**_state(state.type if state else None, state.name if state else None),
                          "duration": duration_text(run.duration_s)}
    return _json({"states": states})


@router.get("/summary")
def summary(request: Request) -> JSONResponse:
    """How many flow runs are in flight now (the header's badge)."""
    counts = store_of(request).ui.live_counts(["RUNNING", "PENDING", "CANCELLING"])
    return _json({"in_flight": sum(counts.values()), "counts": counts})


def _action(request: Request, flow_run_id: str, name: str) -> JSONResponse:
    try:
        run_id = str(UUID(flow_run_id))
    except ValueError:
        return _json({"detail": f"no flow run with id {flow_run_id!r}"}, 404)
    ops = operations_of(request)
    try:
        state = ops.cancel_flow_run(run_id) if name == "cancel" else ops.retry_flow_run(run_id)
    except ObjectNotFound as exc:
        return _json({"detail": str(exc)}, 404)
    except InvalidStateTransition as exc:
        return _json({"detail": str(exc)}, 409)
    return _json({"state": _state(state.type if state else None, state.name if state else None)})


@router.post("/flow-runs/{flow_run_id}/cancel")
def cancel(request: Request, flow_run_id: str) -> JSONResponse:
    """Cancel a flow run (as `POST /api/flow_runs/{id}/cancel`)."""
    return _action(request, flow_run_id, "cancel")


@router.post("/flow-runs/{flow_run_id}/retry")
def retry(request: Request, flow_run_id: str) -> JSONResponse:
    """Schedule a finished flow run again (as `POST /api/flow_runs/{id}/retry`)."""
    return _action(request, flow_run_id, "retry")
