"""What endpoints share: the store of the running app, and parsing a state's time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request

from headwater.core.settings import Settings
from headwater.operations import Operations
from headwater.store import Store

__all__ = ["OpsDep", "SettingsDep", "StoreDep", "operations_of", "scheduled_time", "store_of"]


# Starlette's app.state holds untyped attributes; server/app.py sets these two.
def store_of(request: Request) -> Store:
    """The store of the app serving `request` (the UI's pages read it too)."""
    store: Store = request.app.state.store
    return store


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def operations_of(request: Request) -> Operations:
    """The control-plane operations over the app's store (the UI's actions call them too)."""
    ops: Operations | None = getattr(request.app.state, "operations", None)
    if ops is None or ops.store is not request.app.state.store:
        ops = request.app.state.operations = Operations(request.app.state.store, request.app.state.settings)
    return ops


StoreDep = Annotated[Store, Depends(store_of)]
OpsDep = Annotated[Operations, Depends(operations_of)]
"""The control-plane operations over the app's store: what the routes call."""
SettingsDep = Annotated[Settings, Depends(_settings)]


def scheduled_time(details: dict[str, Any] | None, field: str) -> float | None:
    """The `scheduled_time` of a state's details as epoch seconds (None if absent).

    Raises:
        HTTPException: 422 naming `field` when the value is not a time.
    """
    value = (details or {}).get("scheduled_time")
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise TypeError
        if isinstance(value, (int, float)):
            moment = datetime.fromtimestamp(float(value))
        else:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return moment.timestamp()
    except (TypeError, ValueError, OverflowError, OSError):
        raise HTTPException(
            status_code=422,
            detail=f"{field}.details.scheduled_time: expected an ISO 8601 time or epoch seconds, got {value!r}"[:300],
        ) from None
