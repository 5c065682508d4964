"""The concurrency page: global and tag limits, slots in use, who holds them; create and edit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from headwater.core.limits import ConcurrencyLimitError, LimitKind, limit_key
from headwater.exceptions import ObjectNotFound
from headwater.server.api._deps import operations_of, store_of
from headwater.server.ui.forms import read_form
from headwater.server.ui.templating import SECURITY_HEADERS, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _page(request: Request, *, error: str | None = None, status_code: int = 200,
          form: dict[str, Any] | None = None) -> HTMLResponse:
    limits = store_of(request).limits.list_concurrency_limits(with_holders=True)
    context = {"limits": limits, "error": error, "form": form or {}}
    return render(request, "concurrency.html", context, status_code=status_code)


@router.get("/concurrency", response_class=HTMLResponse)
def concurrency_page(request: Request) -> HTMLResponse:
    """Every limit with its slots in use and holders, and the form to add one."""
    return _page(request)


def _number(form: Any, name: str, kind: type, default: Any = None) -> Any:
    raw = str(form.get(name, "")).strip()
    if raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ConcurrencyLimitError(f"{name.replace('_', ' ')} must be a number, got {raw[:40]!r}") from None


@router.post("/concurrency", response_class=HTMLResponse)
async def create_limit(request: Request) -> Response:
    """Create a global limit or a tag limit from the page's form."""
    form = await read_form(request)
    name = str(form.get("name", "")).strip()
    kind: LimitKind = "tag" if form.get("kind") == "tag" else "global"
    try:
        limit = _number(form, "limit", int)
        if limit is None:
            raise ConcurrencyLimitError("give the limit: how many slots may be held at once")
        decay = _number(form, "slot_decay_per_second", float, 0.0)
        operations_of(request).create_concurrency_limit(limit_key(name, kind), limit,
                                                        slot_decay_per_second=decay, active=True)
    except (ConcurrencyLimitError, ValueError) as exc:
        return _page(request, error=str(exc), status_code=422, form=dict(form))
    return RedirectResponse("/concurrency", status_code=303, headers=SECURITY_HEADERS)


@router.post("/concurrency/edit", response_class=HTMLResponse)
async def edit_limit(request: Request) -> Response:
    """Change a limit's size, decay or activity; or delete it."""
    form = await read_form(request)
    key = str(form.get("key", ""))
    ops = operations_of(request)
    try:
        if form.get("action") == "delete":
            ops.delete_concurrency_limit(key)
        else:
            ops.update_concurrency_limit(
                key, limit=_number(form, "limit", int), slot_decay_per_second=_number(form, "slot_decay_per_second",
                                                                                      float),
                active=form.get("active") == "on",
            )
    except ObjectNotFound as exc:
        return _page(request, error=str(exc), status_code=404)
    except (ConcurrencyLimitError, ValueError) as exc:
        return _page(request, error=str(exc), status_code=422)
    return RedirectResponse("/concurrency", status_code=303, headers=SECURITY_HEADERS)


@router.get("/ui/api/concurrency")
def limits_live(request: Request) -> JSONResponse:
    """Slots in use of every limit (the page refreshes its numbers from this)."""
    limits = store_of(request).limits.list_concurrency_limits(with_holders=False)
    return JSONResponse({"limits": {limit.name: {"in_use": round(limit.slots_in_use, 2), "limit": limit.limit}
                                    for limit in limits}}, headers=SECURITY_HEADERS)
