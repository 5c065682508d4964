"""How failures become HTTP replies: one `{"detail": ...}` body naming what is wrong.

User mistakes are 4xx: a body that fails validation is 422 with each problem's
location (`body.flow_runs.limit`) and message; an unknown id 404; a state change the
transition table forbids 409. A database that cannot be used is 503 with the store's
one-line explanation. Anything else is a bug: 500 with a generic message, logged
with its traceback on the server (never with request headers, so never the key).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from headwater.exceptions import (
    InvalidStateTransition,
    ObjectAlreadyExists,
    ObjectNotFound,
    ParameterValidationError,
    ProtectedBlockError,
    StoreError,
)

__all__ = ["install_error_handlers", "validation_message"]

log = logging.getLogger("headwater.server")


def _location(loc: Any) -> str:
    return ".".join(str(part) for part in loc) or "body"


def validation_message(errors: Sequence[Mapping[str, Any]], limit: int = 5) -> str:
    """One line naming the first `limit` invalid fields and what is wrong with each."""
    parts = [f"{_location(error.get('loc', ()))}: {error.get('msg', 'invalid')}" for error in errors[:limit]]
    more = f" (and {len(errors) - limit} more)" if len(errors) > limit else ""
    return "invalid request: " + "; ".join(parts) + more


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    # The offending input is not echoed back: it can be large, and a client's secret.
    detail = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in errors[:50]]
    return JSONResponse(status_code=422, content={"detail": detail, "message": validation_message(errors)})


async def _not_found(request: Request, exc: ObjectNotFound) -> JSONResponse:
    return JSONResponse(status_code=404, content={"detail": str(exc)})


async def _conflict(request: Request, exc: InvalidStateTransition) -> JSONResponse:
    return JSONResponse(status_code=409, content={"detail": str(exc)})


async def _exists(request: Request, exc: ObjectAlreadyExists) -> JSONResponse:
    # `error` lets a client raise the same exception (a 409 is also a refused transition).
    return JSONResponse(status_code=409, content={"detail": str(exc), "error": "ObjectAlreadyExists"})


async def _bad_parameters(request: Request, exc: ParameterValidationError) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": str(exc), "error": "ParameterValidationError"})


async def _protected(request: Request, exc: ProtectedBlockError) -> JSONResponse:
    return JSONResponse(status_code=403, content={"detail": str(exc), "error": "ProtectedBlockError"})


async def _unavailable(request: Request, exc: StoreError) -> JSONResponse:
    return JSONResponse(status_code=503, content={"detail": str(exc)})


async def _bug(request: Request, exc: Exception) -> JSONResponse:
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse(status_code=500, content={"detail": "internal server error; see the server's log"})


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on `app`."""
    # Through the decorator: add_exception_handler's type takes handlers of any Exception.
    app.exception_handler(RequestValidationError)(_invalid)
    app.exception_handler(ObjectNotFound)(_not_found)
    app.exception_handler(InvalidStateTransition)(_conflict)
    app.exception_handler(ObjectAlreadyExists)(_exists)
    app.exception_handler(ParameterValidationError)(_bad_parameters)
    app.exception_handler(ProtectedBlockError)(_protected)
    app.exception_handler(StoreError)(_unavailable)
    app.add_exception_handler(Exception, _bug)
