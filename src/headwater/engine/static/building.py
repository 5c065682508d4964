"""What `Task.__call__` asks first: is a `with Flow(...)` block being built here?

Kept tiny and free of engine imports, because `engine/tasks.py` imports it on every
process start. The placeholder base class lives here too, so that tasks can refuse
a placeholder passed to them outside a static flow run with a clear message.
"""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING, Any, NoReturn

from headwater.exceptions import InvalidDefinitionError

if TYPE_CHECKING:
    from headwater.engine.static.flow import StaticFlow

__all__ = ["Placeholder", "building_flow_var", "case_var", "refuse_placeholders"]

building_flow_var: contextvars.ContextVar[StaticFlow | None] = contextvars.ContextVar(
    "headwater_building_static_flow", default=None
)
"""The static flow whose `with` block is open in this thread, or None."""

case_var: contextvars.ContextVar[tuple[Any, ...]] = contextvars.ContextVar("headwater_static_blocks", default=())
"""The `with case(...)` / resource manager blocks open in this thread, innermost last: each is
told (`add_call`) of the calls made inside it."""


class Placeholder:
    """A value that exists only while a static flow runs: a Parameter or a task's result.

    Inside a `with Flow(...)` block, calling a task returns one of these; passing it
    to another task draws an edge. Anything that needs the actual value (truth
    tests, iteration, `len`, numbers) raises an error that says how to get it.
    """

    created = False  # set once any placeholder exists; lets tasks skip the check otherwise
    kind = "placeholder"
    key: str

    def describe(self) -> str:
        """How messages name this placeholder: `Parameter 'name'`, `task 'say_hello'`."""
        raise NotImplementedError

    def _no_value(self, action: str) -> NoReturn:
        raise InvalidDefinitionError(
            f"{self.describe()} has no value yet ({action}): inside a `with Flow(...)` block it only "
            "stands for a value that exists while the flow runs; pass it to another task instead, "
            "or run the flow with flow.run(...) and read state.result[...].result"
        )

    def result(self) -> NoReturn:
        """Always raises: the value exists only inside a run (read it from flow.run's state)."""
        self._no_value("read with .result()")

    def __bool__(self) -> bool:
        self._no_value("used as a truth value, e.g. `if x:`")

    def __iter__(self) -> NoReturn:
        self._no_value("iterated over; use task.map(x) to run a task per element")

    def __len__(self) -> int:
        self._no_value("asked for its len()")

    def __contains__(self, item: Any) -> bool:
        self._no_value("tested with `in`")

    def __int__(self) -> int:
        self._no_value("converted with int()")

    def __float__(self) -> float:
        self._no_value("converted with float()")

    def __index__(self) -> int:
        self._no_value("used as an index")

    def __format__(self, spec: str) -> str:
        self._no_value("formatted into a string")


def refuse_placeholders(task_name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Raise if a placeholder is passed to a task called outside any `with Flow` block.

    Raises:
        InvalidDefinitionError: naming the placeholder and the task.
    """
    for value in (*args, *kwargs.values()):
        if isinstance(value, Placeholder):
            raise InvalidDefinitionError(
                f"{value.describe()} was passed to task {task_name!r} outside a `with Flow(...)` block, "
                "where it has no value; call the task inside the block, or run the flow with flow.run(...)"
            )
