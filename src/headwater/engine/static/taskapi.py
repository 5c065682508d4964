"""Prefect 1's task surface on headwater's `Task`: class-based tasks and the functional API.

    class Add(Task):                     # a class-based task: its run() is the body
        def run(self, x, y):
            return x + y

    @task(trigger=any_failed, state_handlers=[notify])   # options only static flows use

`Prefect1Options` holds the options that only a static flow run reads (trigger,
state handlers, caching, ...); engine/tasks.py keeps them on the task as
`task.prefect1`. `TaskApiMixin` gives every task the Prefect 1 methods (`bind`,
`set_upstream`, `set_downstream`, `set_dependencies`, `pipe`, `copy`, `logger`, `run`).
"""

from __future__ import annotations

import copy as copy_module
import dataclasses
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from headwater.exceptions import InvalidDefinitionError

if TYPE_CHECKING:
    from headwater.engine.static.flow import StaticFlow
    from headwater.engine.static.nodes import TaskCall

__all__ = ["PREFECT1_ONLY", "Prefect1Options", "TaskApiMixin", "init_class_task", "prefect1_options",
           "split_prefect1_options"]


@dataclasses.dataclass
class Prefect1Options:
    """Task options that only a static (Prefect 1) flow run reads."""

    trigger: Any = None
    skip_on_upstream_skip: bool = True
    state_handlers: list[Any] = dataclasses.field(default_factory=list)
    on_failure: Any = None
    checkpoint: bool | None = None
    result: Any = None
    target: Any = None
    cache_for: timedelta | None = None
    cache_validator: Any = None
    cache_key: str | None = None
    nout: int | None = None
    retry_on: Any = None
    slug: str | None = None


PREFECT1_ONLY = frozenset(f.name for f in dataclasses.fields(Prefect1Options))
_DEFAULT = Prefect1Options()


def split_prefect1_options(given: dict[str, Any], class_based: bool = False
                           ) -> tuple[Prefect1Options | None, dict[str, Any]]:
    """Split `@task(...)` options into the static-flow-only ones and the rest.

    `on_failure=` stays with the rest (headwater's hooks) unless the task is a Prefect 1
    class-based one, whose `on_failure(task, state)` is Prefect 1's callback.

    Returns:
        (Prefect1Options or None when there were none, the remaining options).
    """
    if given.get("max_retries") and given.get("retry_delay") is None:
        raise ValueError("A datetime.timedelta `retry_delay` must be provided if max_retries > 0")
    names = PREFECT1_ONLY if class_based else PREFECT1_ONLY - {"on_failure"}
    mine = {k: v for k, v in given.items() if k in names}
    if not mine:
        return None, given
    rest = {k: v for k, v in given.items() if k not in names}
    if mine.get("state_handlers") is not None:
        mine["state_handlers"] = list(mine["state_handlers"])
    else:
        mine.pop("state_handlers", None)
    if isinstance(mine.get("retry_on"), type):
        mine["retry_on"] = {mine["retry_on"]}
    return Prefect1Options(**mine), rest


def prefect1_options(task: Any) -> Prefect1Options:
    """The static-flow options of `task` (defaults when it has none)."""
    return task.__dict__.get("prefect1") or _DEFAULT


def init_class_task(task: Any, name: str | None, options: Any, given: dict[str, Any]) -> None:
    """Initialise a Prefect 1 class-based task (`class T(Task): def run(self, ...)`) or a bare `Task()`.

    Raises:
        InvalidDefinitionError: an invalid option, named.
    """
    from headwater.engine.definition import Definition
    from headwater.engine.options import TaskOptions, build_options

    if name is not None:
        given = {**given, "name": name}
    prefect1, rest = split_prefect1_options(given, class_based=True)
    rest.setdefault("name", type(task).__name__)
    rest = {k: v for k, v in rest.items() if v is not None or k == "name"}
    validated = options if options is not None else build_options(TaskOptions, rest)
    body = task.run if type(task).run is not TaskApiMixin.run else _no_op
    Definition.__init__(task, body, validated)
    task.__dict__.pop("__wrapped__", None)
    task.prefect1 = prefect1
    task.class_based = True


def _no_op() -> None:
    """The body of a bare `Task()`: does nothing, returns None."""
    return None


class TaskApiMixin:
    """Prefect 1's methods on a task object (used with or inside a `with Flow(...)` block)."""

    prefect1: Prefect1Options | None = None

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Call the task's function directly, without a task run (Prefect 1's `task.run`)."""
        return self.fn(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        # Prefect 1's attribute names for options kept elsewhere (max_retries is options.retries, ...)
        if name in _PREFECT1_ATTRIBUTES:
            return _PREFECT1_ATTRIBUTES[name](self)
        return super().__getattr__(name)  # type: ignore[misc]  # Task's, next in the MRO of the tasks this mixes into

    @property
    def logger(self) -> logging.Logger:
        """The task's logger (`prefect.<task name>`)."""
        return logging.getLogger(f"prefect.{self.name}")

    def with_options(self, **changes: Any) -> Any:
        """A copy with some options changed (class-based tasks keep their attributes)."""
        if self.__dict__.get("class_based"):
            return self.copy(**changes)
        return super().with_options(**changes)  # type: ignore[misc]  # Task's, next in the MRO

    def copy(self, **task_args: Any) -> Any:
        """A copy of this task, with some options changed."""
        new = copy_module.copy(self)
        if task_args:
            apply_task_args(new, task_args)
        return new

    def bind(self, *args: Any, mapped: bool = False, upstream_tasks: Any = None, flow: StaticFlow | None = None,
             **kwargs: Any) -> Any:
        """Add a call of this task with these arguments to the flow being built (or `flow=`);
        returns the task itself, which then stands for that call (Prefect 1)."""
        target = _flow_for(flow, self, "bind")
        if upstream_tasks is not None:
            kwargs["upstream_tasks"] = upstream_tasks
        target.add_call(self, args, kwargs, mapped=mapped)
        return self

    def set_upstream(self, task: Any, flow: StaticFlow | None = None, key: str | None = None,
                     mapped: bool = False) -> None:
        """Run this task after `task`; with `key=`, pass `task`'s result as that argument."""
        target = _flow_for(flow, self, "set_upstream")
        target.set_dependencies(self, upstream_tasks=None if key else [task],
                                keyword_tasks={key: task} if key else None, mapped=mapped)

    def set_downstream(self, task: Any, flow: StaticFlow | None = None, key: str | None = None,
                       mapped: bool = False) -> None:
        """Run `task` after this one; with `key=`, pass this task's result as that argument of `task`."""
        target = _flow_for(flow, self, "set_downstream")
        target.set_dependencies(task, upstream_tasks=None if key else [self],
                                keyword_tasks={key: self} if key else None, mapped=mapped)

    def set_dependencies(self, flow: StaticFlow | None = None, upstream_tasks: Any = None,
                         downstream_tasks: Any = None, keyword_tasks: dict[str, Any] | None = None,
                         mapped: bool = False, validate: bool | None = None) -> None:
        """Prefect 1's functional API: edges into and out of this task in `flow`."""
        target = _flow_for(flow, self, "set_dependencies")
        target.set_dependencies(self, upstream_tasks=upstream_tasks, downstream_tasks=downstream_tasks,
                                keyword_tasks=keyword_tasks, mapped=mapped)

    def pipe(self, _task: Any, **kwargs: Any) -> Any:
        """`t.pipe(other, k=v)` is `other(t, k=v)`."""
        return _task(self, **kwargs)


def _retry_delay(task: Any) -> timedelta | None:
    delay = task.options.retry_delay_seconds
    if not task.options.retries or callable(delay):
        return None
    if isinstance(delay, (list, tuple)):
        delay = delay[0] if delay else 0
    return timedelta(seconds=float(delay))


def _timeout(task: Any) -> int | None:
    seconds = task.options.timeout_seconds
    return None if seconds is None else int(seconds)


_PREFECT1_ATTRIBUTES: dict[str, Any] = {
    "max_retries": lambda t: int(t.options.retries),
    "retry_delay": _retry_delay,
    "timeout": _timeout,
    "log_stdout": lambda t: bool(t.options.log_prints),
    **{name: (lambda t, name=name: getattr(prefect1_options(t), name)) for name in PREFECT1_ONLY if name != "slug"},
    "slug": lambda t: prefect1_options(t).slug,
}


def apply_task_args(task: Any, task_args: dict[str, Any]) -> None:
    """Change options of `task` in place (a copy made for one call): `task_args={...}`."""
    from headwater.engine.definition import as_plain_dict
    from headwater.engine.options import TaskOptions, build_options

    prefect1, rest = split_prefect1_options(dict(task_args))
    if prefect1 is not None:
        current = dataclasses.asdict(prefect1_options(task))
        given = {k: v for k, v in task_args.items() if k in PREFECT1_ONLY}
        task.prefect1 = Prefect1Options(**{**current, **given})
    if rest:
        if "tags" in rest:  # Prefect 1 adds per-call tags to the task's own
            rest["tags"] = sorted(set(task.options.tags) | set(rest["tags"] or ()))
        task.options = build_options(TaskOptions, {**as_plain_dict(task.options), **rest})
        task.name = task.options.name or task.name


def _flow_for(flow: Any, task: Any, method: str) -> Any:
    from headwater.engine.static.building import building_flow_var

    target = flow if flow is not None else building_flow_var.get()
    if target is None:
        raise InvalidDefinitionError(
            f"{method}() of task {task.name!r} needs a flow: call it inside a `with Flow(...)` block or pass flow=..."
        )
    return target
