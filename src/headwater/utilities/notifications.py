"""Prefect 1's `prefect.utilities.notifications`: state handlers that call back on chosen states.

    announce = callback_factory(lambda task, state: print(task.name, state), lambda s: s.is_failed())
    @task(state_handlers=[announce])
    def load(): ...

Prefect 1's Slack, Gmail, Jira and Snowflake notifiers are not here: they post to those services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["callback_factory"]


def callback_factory(fn: Callable[[Any, Any], Any], check: Callable[[Any], bool]) -> Callable[[Any, Any, Any], Any]:
    """A state handler (for tasks and static flows) calling `fn(task_or_flow, new_state)` whenever
    `check(new_state)` is True; the state itself is left as it is.

    Args:
        fn: the callback, `fn(obj, state)`; its return value is ignored.
        check: `check(state) -> bool`; only an exact True triggers the callback.

    Returns:
        `handler(obj, old_state, new_state) -> new_state`.
    """

    def state_handler(obj: Any, old_state: Any, new_state: Any) -> Any:
        if check(new_state) is True:
            fn(obj, new_state)
        return new_state

    return state_handler
