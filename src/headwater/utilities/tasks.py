"""Prefect 1's task utilities (`prefect.utilities.tasks`): `task`, `tags`, `apply_map`,
`defaults_from_attrs`, `as_task`, `pause_task`."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from headwater.engine.context import tags
from headwater.engine.futures import unmapped
from headwater.engine.tasks import task

__all__ = ["apply_map", "apply_map_var", "as_task", "defaults_from_attrs", "pause_task", "tags", "task", "unmapped"]


class _ApplyMap:
    """What an open `apply_map` call needs to know: its mapped inputs and the calls made in it."""

    def __init__(self, inputs: list[Any]) -> None:
        self.inputs = {id(v) for v in inputs}
        self.made: set[int] = set()

    def adjust(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """Arguments of a call inside `func`: its own results and the mapped inputs stay mapped;
        anything else goes whole to every run."""
        def one(value: Any) -> Any:
            if isinstance(value, unmapped) or id(value) in self.inputs or id(value) in self.made:
                return value
            return unmapped(value)

        return tuple(one(a) for a in args), {k: one(v) for k, v in kwargs.items()}


apply_map_var: contextvars.ContextVar[_ApplyMap | None] = contextvars.ContextVar("headwater_apply_map", default=None)


def apply_map(func: Callable[..., Any], *args: Any, flow: Any = None, **kwargs: Any) -> Any:
    """Map a whole function of task calls over its inputs: every call inside `func` becomes a
    mapped call (so a `case` or a chain of tasks runs once per element).

    Arguments wrapped in `unmapped(...)` go whole to every run.

    Example:
        >>> def inc_if_even(x):
        ...     with case(is_even(x), True):
        ...         return inc(x)
        >>> with Flow("apply") as flow:
        ...     apply_map(inc_if_even, range(4))
    """
    from headwater.engine.static.building import building_flow_var

    if flow is not None and building_flow_var.get() is None:
        with flow:
            return apply_map(func, *args, **kwargs)
    from headwater.engine.static.building import Placeholder
    from headwater.tasks.core.constants import Constant

    building = building_flow_var.get()

    def as_node(value: Any) -> Any:  # values written in the block become Constant tasks, as in Prefect 1
        if building is None or isinstance(value, (Placeholder, unmapped)):
            return value
        return building.add_call(Constant(value), (), {}, mapped=False)

    args = tuple(as_node(a) for a in args)
    kwargs = {k: as_node(v) for k, v in kwargs.items()}
    state = _ApplyMap([*args, *kwargs.values()])
    token = apply_map_var.set(state)
    try:
        return func(*args, **kwargs)
    finally:
        apply_map_var.reset(token)


def defaults_from_attrs(*attr_args: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a class-based task's `run`: arguments not given default to the task's attributes.

    Example:
        >>> class Greet(Task):
        ...     def __init__(self, name="world", **kwargs):
        ...         self.name_to_greet = name
        ...         super().__init__(**kwargs)
        ...     @defaults_from_attrs("name_to_greet")
        ...     def run(self, name_to_greet=None):
        ...         return f"hello {name_to_greet}"
    """
    def wrapper(run_method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(run_method)
        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            for attr in attr_args:
                kwargs.setdefault(attr, getattr(self, attr))
            return run_method(self, *args, **kwargs)

        return method

    return wrapper


def as_task(x: Any, flow: Any = None) -> Any:
    """`x` itself when it is a task or a task result; else a `Constant` task returning it."""
    from headwater.engine.static.building import Placeholder
    from headwater.engine.tasks import Task
    from headwater.tasks.core.constants import Constant

    if isinstance(x, (Task, Placeholder)):
        return x
    return Constant(x)


def pause_task(message: str | None = None, duration: timedelta | None = None) -> None:
    """Stop the running task in a Paused state until someone resumes it (Prefect 1).

    The whole task runs again once resumed (`flow.run(task_states={t: Resume()})`, or
    answering 'y' when `flow.run()` asks), and this call then returns at once.

    Args:
        message: the Paused state's message.
        duration: resume by itself after this long (default: wait for a person).

    Raises:
        PAUSE: always, unless the task run was resumed.
    """
    from headwater.core.clock import now_datetime
    from headwater.engine.signals import PAUSE
    from headwater.engine.static.context import context

    if context.get("resume", False) is False:
        start_time = now_datetime() + duration if duration is not None else None
        raise PAUSE(message=message or "Pause signal raised during task execution.", start_time=start_time)
