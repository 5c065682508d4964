"""Prefect 1's `FlowRunner` (`prefect.engine.flow_runner`): run a static flow once.

    state = FlowRunner(flow=flow).run(parameters={"x": 1})

The same run as `flow.run(...)` without following the flow's schedule. `run_task` and the
`get_default_*_class()` functions are Prefect 1's too; the classes come from `prefect.config`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

__all__ = ["FlowRunner", "FlowRunnerInitializeResult", "get_default_executor_class",
           "get_default_flow_runner_class", "get_default_task_runner_class", "run_task"]


class FlowRunner:
    """Runs one flow run of a static flow.

    Args:
        flow: the flow (made with `Flow("name")`).
        state_handlers: accepted for compatibility; the flow's own state handlers run.
    """

    def __init__(self, flow: Any, task_runner_cls: Any = None, state_handlers: Any = None) -> None:
        self.flow = flow

    def run(self, state: Any = None, task_states: dict[Any, Any] | None = None, return_tasks: Any = None,
            parameters: dict[str, Any] | None = None, task_runner_state_handlers: Any = None,
            executor: Any = None, context: dict[str, Any] | None = None, task_contexts: Any = None) -> Any:
        """Run the flow once; returns its state (`.result[task]` for every task).

        Unlike `flow.run()`, tasks left Paused are not offered for resuming: the flow ends
        Running, as Prefect 1's FlowRunner leaves it.
        """
        from headwater.engine.static.execute import ask_to_resume_var

        token = ask_to_resume_var.set(False)
        try:
            return self.flow.run(parameters=parameters or {}, run_on_schedule=False, executor=executor,
                                 context=context, task_states=task_states)
        finally:
            ask_to_resume_var.reset(token)


class FlowRunnerInitializeResult(NamedTuple):
    """What Prefect 1's `FlowRunner.initialize_run` returns: the states and contexts a run starts from."""

    state: Any
    task_states: dict[Any, Any]
    context: dict[str, Any]
    task_contexts: dict[Any, dict[str, Any]]


def run_task(task: Any, state: Any, upstream_states: dict[Any, Any], context: dict[str, Any], flow_result: Any,
             task_runner_cls: Callable[..., Any], task_runner_state_handlers: Iterable[Callable[..., Any]],
             upstream_mapped_states: dict[Any, Any], is_mapped_parent: bool = False) -> Any:
    """Run one task through `task_runner_cls` (Prefect 1's `TaskRunner`), as a FlowRunner hands a task
    to its executor; returns the task's new state.

    An upstream that was mapped but feeds this task whole (an unmapped edge) passes the list of
    its children's results, taken from `upstream_mapped_states` when given.
    """
    from headwater.engine.state import Mapped
    from headwater.engine.static.context import context as prefect_context

    with prefect_context(context):
        for edge, upstream in upstream_states.items():
            if not getattr(edge, "mapped", False) and isinstance(upstream, Mapped):
                upstream.map_states = upstream_mapped_states.get(edge, upstream.map_states)
                upstream.result = [s.result for s in upstream.map_states]
        runner = task_runner_cls(task=task, state_handlers=task_runner_state_handlers, flow_result=flow_result)
        return runner.run(state=state, upstream_states=upstream_states, is_mapped_parent=is_mapped_parent,
                          context=context)


def get_default_flow_runner_class() -> type:
    """The flow runner class `prefect.config.engine.flow_runner.default_class` names (FlowRunner)."""
    return _configured_class("engine.flow_runner.default_class", FlowRunner)


def get_default_task_runner_class() -> type:
    """The task runner class `prefect.config.engine.task_runner.default_class` names (TaskRunner)."""
    from headwater.engine.task_runner import TaskRunner

    return _configured_class("engine.task_runner.default_class", TaskRunner)


def get_default_executor_class() -> type:
    """The executor class `prefect.config.engine.executor.default_class` names (LocalExecutor)."""
    from headwater.executors import LocalExecutor

    return _configured_class("engine.executor.default_class", LocalExecutor)


def _configured_class(path: str, fallback: type) -> type:
    """A class named in the config by its dotted path (`prefect.` read as `headwater.`), or the value
    itself when it is not a string; `fallback` with a warning when the name cannot be imported."""
    import importlib
    import warnings

    from headwater.engine.static import config as config_module

    value = config_module.config.get_nested(path)
    if not isinstance(value, str):
        return value if isinstance(value, type) else fallback
    module_name, _, attribute = value.rpartition(".")
    if module_name.split(".")[0] == "prefect":
        module_name = "headwater" + module_name[len("prefect"):]
    try:
        found = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError, ValueError):
        warnings.warn(f"Could not import {value}; using {fallback.__module__}.{fallback.__name__} instead.",
                      stacklevel=3)
        return fallback
    return found if isinstance(found, type) else fallback
