"""The ids and names of the events of state changes (`store/state_events.py`).

A derived event's id is stable: a version-8 UUID made of the run's id and the state
row's id (`state_event_id`), so pages, followers and de-duplication work on it, and
a filter by id finds the state row again (`state_id_of_event`).
"""

from __future__ import annotations

__all__ = ["FLOW_RUN_PREFIX", "TASK_RUN_PREFIX", "state_event_id", "state_id_of_event"]

FLOW_RUN_PREFIX = "prefect.flow-run."
TASK_RUN_PREFIX = "prefect.task-run."


def state_event_id(run_id: str, state_id: int) -> str:
    """The id of the event of state row `state_id` of run `run_id`: the run id's first
    20 hex digits (version nibble 8, variant 10), then the state id in 12."""
    digits = run_id.replace("-", "")
    if len(digits) != 32 or any(c not in "0123456789abcdefABCDEF" for c in digits):
        digits = "0" * 32
    h = f"{digits[:12]}8{digits[13:16]}{8 | (int(digits[16], 16) & 3):x}{digits[17:20]}{state_id & 0xFFFFFFFFFFFF:012x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}".lower()


def state_id_of_event(event_id: str) -> int | None:
    """The state row id a derived event's id names, or None for another id."""
    digits = str(event_id).replace("-", "")
    if len(digits) != 32 or digits[12] != "8":
        return None
    try:
        return int(digits[20:], 16)
    except ValueError:
        return None
