"""Carrying the run context to another process: `with_context`, `serialize_context`,
`hydrated_context` (re-exported by `headwater.context`, as in `prefect.context`).

    def work(item):
        get_run_logger().info("processing %s", item)   # logged to the task run

    @task
    def fan_out(items):
        with multiprocessing.Pool() as pool:
            pool.map(with_context(work), items)

`serialize_context()` captures, as plain picklable data, the settings in force, the
`tags(...)` in force and which flow run and task run are executing. In the other
process, `hydrated_context(data)` puts them back: the settings, the tags, and a
stand-in for the run whose logger records into that run's history (`get_run_logger()`,
`print` with `log_prints`, `headwater.runtime`'s ids). The stand-in cannot run or
submit tasks for the parent run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

__all__ = ["DetachedRun", "hydrated_context", "serialize_context", "with_context"]


def _run_data(run: Any) -> dict[str, Any] | None:
    if run is None:
        return None
    flow_run = run.flow_run if run.is_task else None
    return {
        "id": run.id,
        "name": run.name,
        "label": run.label,
        "is_task": run.is_task,
        "flow_run_id": run.flow_run_id,
        "task_run_id": run.task_run_id,
        "flow_name": getattr(getattr(flow_run if run.is_task else run, "flow", None), "name", None),
        "flow_run_name": flow_run.name if flow_run is not None else (None if run.is_task else run.name),
        "task_name": getattr(getattr(run, "task", None), "name", None),
        "run_count": run.run_count,
        "tags": sorted(getattr(run, "tags", None) or getattr(run.options, "tags", ()) or ()),
        "log_prints": bool(getattr(run.options, "log_prints", False)),
    }


def serialize_context(asset_ctx_kwargs: dict[str, Any] | None = None) -> dict[str, Any]:
    """The context in force here as plain data: settings, tags, and the executing runs.

    Args:
        asset_ctx_kwargs: accepted for Prefect's callers (assets are not there yet).
    """
    from headwater.core.settings import get_settings
    from headwater.engine.context import flow_run_var, tags_var, task_run_var

    settings = get_settings()
    return {
        "settings": {field: getattr(settings, field) for field in settings.model_fields_set},
        "tags": sorted(tags_var.get()),
        "flow_run": _run_data(flow_run_var.get()),
        "task_run": _run_data(task_run_var.get()),
    }


class DetachedRun:
    """A run executing in another process, as seen from this one: enough for its logger
    (`get_run_logger()`), `print` with `log_prints`, and the runtime's ids."""

    def __init__(self, data: dict[str, Any], orchestrator: Any, flow_run: DetachedRun | None = None) -> None:
        from headwater.engine.logging import RunLogger, flow_run_logger, task_run_logger

        self.id = data["id"]
        self.name = data["name"]
        self.label = data["label"]
        self.is_task = data["is_task"]
        self.kind = "task run" if self.is_task else "flow run"
        self.flow_run_id = data["flow_run_id"]
        self.task_run_id = data["task_run_id"]
        self.run_count = data["run_count"]
        self.tags = tuple(data["tags"])
        self.orchestrator = orchestrator
        self.flow_run = flow_run
        self.parent = None
        self.parameters: dict[str, Any] = {}
        self.flow = SimpleNamespace(name=data["flow_name"])
        self.task = SimpleNamespace(name=data["task_name"], isasync=False)
        self.options = SimpleNamespace(log_prints=data["log_prints"], tags=self.tags, persist_result=None,
                                       version=None)
        self.logger = RunLogger(task_run_logger if self.is_task else flow_run_logger, self)  # type: ignore[arg-type]  # a DetachedRun stands in for a Run: what logging reads of one

    def task_runner(self) -> Any:
        raise RuntimeError("a run's context carried to another process cannot submit tasks for that run")

    def __repr__(self) -> str:
        return f"DetachedRun({self.kind} {self.name!r})"


@contextlib.contextmanager
def hydrated_context(serialized_context: dict[str, Any] | None = None, client: Any = None) -> Iterator[None]:
    """Put a context made by `serialize_context` in force for the block.

    Args:
        serialized_context: what `serialize_context()` returned (None: change nothing).
        client: accepted for Prefect's callers.
    """
    if not serialized_context:
        yield
        return
    from headwater.core.settings import Settings, get_settings, reset_settings
    from headwater.engine.context import flow_run_var, tags, task_run_var
    from headwater.engine.logging import configure_logging, log_prints_run
    from headwater.engine.task_runners.remote import orchestrator_for

    previous_settings = get_settings()
    settings = Settings(**serialized_context.get("settings", {}))
    with contextlib.ExitStack() as stack:
        if settings != previous_settings:
            reset_settings(settings)
            stack.callback(reset_settings, previous_settings)
        stack.enter_context(tags(*serialized_context.get("tags", ())))
        flow_data, task_data = serialized_context.get("flow_run"), serialized_context.get("task_run")
        if flow_data or task_data:
            orchestrator = orchestrator_for(settings)
            configure_logging(settings)
            stack.callback(orchestrator.flush, 60)  # this process may end right after the call
            flow_run = DetachedRun(flow_data, orchestrator) if flow_data else None
            if flow_run is not None:
                stack.callback(flow_run_var.reset, flow_run_var.set(flow_run))  # type: ignore[arg-type]  # a DetachedRun stands in for the FlowRun
            task_run = DetachedRun(task_data, orchestrator, flow_run) if task_data else None
            if task_run is not None:
                stack.callback(task_run_var.reset, task_run_var.set(task_run))  # type: ignore[arg-type]  # a DetachedRun stands in for the TaskRun
            innermost = task_run or flow_run
            if innermost is not None and innermost.options.log_prints:
                stack.callback(log_prints_run.reset, log_prints_run.set(innermost))  # type: ignore[arg-type]  # a DetachedRun stands in for the Run
        yield


class ContextWrappedCallable:
    """`fn` that runs inside the context captured when it was wrapped; picklable when
    `fn` is (the context is plain data)."""

    def __init__(self, fn: Callable[..., Any], serialized_context: dict[str, Any]) -> None:
        self.fn = fn
        self.serialized_context = serialized_context

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with hydrated_context(self.serialized_context):
            return self.fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"with_context({self.fn!r})"


def with_context(fn: Callable[..., Any]) -> ContextWrappedCallable:
    """Wrap `fn` so that, called in another process (`multiprocessing.Pool`,
    `ProcessPoolExecutor`), it runs in the current run's context: `get_run_logger()`
    logs to this run."""
    return ContextWrappedCallable(fn, serialize_context())
