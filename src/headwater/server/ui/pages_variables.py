"""The variables page: list, create, edit and delete variables.

Values are typed as JSON (`3`, `true`, `[1, 2]`, `{"a": 1}`); text that is not JSON
is kept as a string, as `headwater variable set` does. Every change goes through the
operations (the same checks as the API: name rules, size limit), and every value is
shown escaped by the templates.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from headwater.core.variable_schemas import VariableCreate, VariableFilterRequest, VariableUpdate
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound, ParameterValidationError
from headwater.server.api._deps import operations_of
from headwater.server.errors import validation_message
from headwater.server.ui.forms import read_form
from headwater.server.ui.templating import SECURITY_HEADERS, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_SHOWN_CHARS = 200  # of a value in the list; the edit box holds all of it


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _tags(text: str) -> list[str]:
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def _page(request: Request, *, error: str | None = None, status_code: int = 200,
          form: dict[str, Any] | None = None) -> HTMLResponse:
    found = operations_of(request).filter_variables(VariableFilterRequest())
    rows = []
    for v in found:
        text = json.dumps(v.value, ensure_ascii=False)
        rows.append({"variable": v, "json": json.dumps(v.value, ensure_ascii=False, indent=2),
                     "short": text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS - 1] + "…"})
    context = {"rows": rows, "error": error, "form": form or {},
               "max_bytes": operations_of(request).settings.variable_max_bytes}
    return render(request, "variables.html", context, status_code=status_code)


@router.get("/variables", response_class=HTMLResponse)
def variables_page(request: Request) -> HTMLResponse:
    """Every variable with its value and tags, and the form to add one."""
    return _page(request)


@router.post("/variables", response_class=HTMLResponse)
async def create_variable(request: Request) -> Response:
    """Create a variable from the page's form."""
    form = await read_form(request)
    try:
        body = VariableCreate(name=form.get("name", "").strip(), value=_parse_value(form.get("value", "")),
                              tags=_tags(form.get("tags", "")))
        operations_of(request).create_variable(body)
    except ValidationError as exc:
        return _page(request, error=validation_message(exc.errors()), status_code=422, form=form)
    except (ObjectAlreadyExists, ParameterValidationError) as exc:
        return _page(request, error=str(exc), status_code=422, form=form)
    return RedirectResponse("/variables", status_code=303, headers=SECURITY_HEADERS)


@router.post("/variables/edit", response_class=HTMLResponse)
async def edit_variable(request: Request) -> Response:
    """Change a variable's value and tags; or delete it."""
    form = await read_form(request)
    name = form.get("name", "")
    ops = operations_of(request)
    try:
        if form.get("action") == "delete":
            ops.delete_variable(name)
        else:
            ops.update_variable(name, VariableUpdate(value=_parse_value(form.get("value", "")),
                                                     tags=_tags(form.get("tags", ""))))
    except ObjectNotFound as exc:
        return _page(request, error=str(exc), status_code=404)
    except ValidationError as exc:
        return _page(request, error=validation_message(exc.errors()), status_code=422)
    except ParameterValidationError as exc:
        return _page(request, error=str(exc), status_code=422)
    return RedirectResponse("/variables", status_code=303, headers=SECURITY_HEADERS)
