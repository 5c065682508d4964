"""Stored run states as Prefect 1 state objects, and back.

A run records headwater's state types (COMPLETED, FAILED, ...) and a name; a static
flow's tasks keep Prefect 1's names (`TriggerFailed`, `Skipped`, `Cached`, ...). The
name picks the Prefect 1 class when it is one, the type otherwise.
"""

from __future__ import annotations

from typing import Any

__all__ = ["to_headwater_state", "to_prefect1_state"]

_BY_TYPE = {
    "SCHEDULED": "Scheduled", "PENDING": "Pending", "RUNNING": "Running", "COMPLETED": "Success",
    "FAILED": "Failed", "CRASHED": "Failed", "CANCELLED": "Cancelled", "CANCELLING": "Cancelling",
    "PAUSED": "Paused",
}


def to_prefect1_state(state: Any) -> Any:
    """The Prefect 1 state (`headwater.engine.state`) for a client state; `Pending` for None."""
    from headwater.engine import state as p1

    if state is None:
        return p1.Pending()
    kind = getattr(state.type, "value", state.type)
    name = (state.name or "").replace(" ", "")
    cls = getattr(p1, name, None)
    if not (isinstance(cls, type) and issubclass(cls, p1.State)):
        cls = getattr(p1, _BY_TYPE.get(str(kind), "Pending"))
    made = cls(message=state.message)
    made.context = {"headwater_state_type": str(kind), "timestamp": getattr(state, "timestamp", None)}
    return made


def to_headwater_state(state: Any) -> Any:
    """A headwater client state for a Prefect 1 state object (its type from the class, its name kept)."""
    from headwater.core.states import StateType
    from headwater.engine import state as p1
    from headwater.states import State

    if state.is_failed():
        kind = StateType.FAILED
    elif isinstance(state, p1.Cancelled):
        kind = StateType.CANCELLED
    elif isinstance(state, p1.Cancelling):
        kind = StateType.CANCELLING
    elif state.is_finished():
        kind = StateType.COMPLETED
    elif isinstance(state, p1.Paused):
        kind = StateType.PAUSED
    elif state.is_running():
        kind = StateType.RUNNING
    elif state.is_scheduled():
        kind = StateType.SCHEDULED
    else:
        kind = StateType.PENDING
    message = state.message if isinstance(state.message, str) or state.message is None else str(state.message)
    return State(type=kind, name=type(state).__name__, message=message)
