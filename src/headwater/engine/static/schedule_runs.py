"""`flow.run()` on a flow with a schedule: one run at each of the schedule's times.

As in Prefect 1, the call blocks: it waits for each next time, runs the flow with
that event's parameter defaults, and returns the last run's state once the schedule
has no more times (a schedule without an end keeps it running).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

__all__ = ["run_on_schedule"]


def run_on_schedule(flow: Any, parameters: dict[str, Any], run_once: Callable[[dict[str, Any]], Any]) -> Any:
    """Run `flow` at each time of its schedule; returns the last run's state.

    Raises:
        ValueError: the schedule has no time left at all.
    """
    from headwater.core.clock import now_datetime

    state = None
    after = None
    while True:
        events = flow.schedule.next(1, after=after, return_events=True)
        if not events:
            if state is None:
                raise ValueError("Flow has no more scheduled runs.")
            return state
        event = events[0]
        wait = (event.start_time - now_datetime()).total_seconds()
        if wait > 0:
            time.sleep(wait)
        state = run_once({**(event.parameter_defaults or {}), **parameters})
        after = event.start_time
