"""The background tasks page: runs queued by `task.delay()` that wait or run, and the
task workers serving them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from headwater.server.api._deps import store_of
from headwater.server.ui.templating import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_SHOWN = 200


@router.get("/background-tasks", response_class=HTMLResponse)
def background_tasks_page(request: Request) -> HTMLResponse:
    """Pending background task runs (oldest first) and the task workers, with their status."""
    store = store_of(request)
    runs, counts = store.background.list_waiting(limit=_SHOWN)
    context = {"runs": runs, "counts": counts, "shown": _SHOWN, "workers": store.background.list_task_workers()}
    return render(request, "background_tasks.html", context)
