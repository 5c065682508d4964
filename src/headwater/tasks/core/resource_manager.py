"""Prefect 1's resource managers: a setup task before a block of tasks, a cleanup task after.

    @resource_manager
    class TempDir:
        def __init__(self, prefix): self.prefix = prefix
        def setup(self): return tempfile.mkdtemp(prefix=self.prefix)
        def cleanup(self, path): shutil.rmtree(path)

    with Flow("uses-a-dir") as flow:
        with TempDir("x") as path:
            write(path)

The cleanup runs once the block's tasks finished, however they ended (it is
skipped only if the setup never produced the resource).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from headwater.engine import signals
from headwater.engine.static.building import building_flow_var, case_var
from headwater.engine.tasks import Task
from headwater.exceptions import InvalidDefinitionError

__all__ = ["ResourceManager", "resource_cleanup_trigger", "resource_manager"]


class ResourceInitTask(Task[..., Any]):
    """Makes the resource manager object (the decorated class called with the block's arguments)."""

    def __init__(self, resource_class: Callable[..., Any], **kwargs: Any) -> None:
        self.resource_class = resource_class
        super().__init__(**kwargs)
        import inspect

        self.fn = resource_class
        self._signature = inspect.signature(resource_class)

    def run(self, *args: Any, **kwargs: Any) -> Any:
        return self.resource_class(*args, **kwargs)


class ResourceSetupTask(Task[..., Any]):
    """Calls the manager's `setup()`; its result is what the `with ... as x` block gets."""

    def run(self, mgr: Any) -> Any:
        return mgr.setup()


class ResourceCleanupTask(Task[..., Any]):
    """Calls the manager's `cleanup(resource)`."""

    def run(self, mgr: Any, resource: Any = None) -> None:
        mgr.cleanup(resource)


def resource_cleanup_trigger(upstream_states: Mapping[Any, Any]) -> bool:
    """Run the cleanup once everything finished, unless the manager or its setup did not succeed."""
    for edge, state in upstream_states.items():
        if not state.is_finished():
            raise signals.TRIGGERFAIL(
                "Trigger was 'resource_cleanup_trigger' but some of the upstream tasks were not finished.")
        if edge.key == "mgr":
            if state.is_skipped():
                raise signals.SKIP("Resource manager init skipped")
            if not state.is_successful():
                raise signals.SKIP("Resource manager init failed")
        elif edge.key == "resource":
            if state.is_skipped():
                raise signals.SKIP("Resource manager setup skipped")
            if not state.is_successful():
                raise signals.SKIP("Resource manager setup failed")
    return True


class ResourceContext:
    """The `with` block of a resource manager: orders the block's tasks between setup and cleanup."""

    def __init__(self, init_task: Any, setup_task: Any, cleanup_task: Any, flow: Any) -> None:
        self.init_task = init_task
        self.setup_task = setup_task
        self.cleanup_task = cleanup_task
        self._flow = flow
        self._calls: list[Any] = []
        self._token: Any = None

    def add_call(self, call: Any) -> None:
        """Put a call made inside the block under this resource (the graph builder calls this)."""
        self._calls.append(call)

    def __enter__(self) -> Any:
        self._token = case_var.set((*case_var.get(), self))
        return self.setup_task

    def __exit__(self, *exc_info: object) -> None:
        case_var.reset(self._token)
        graph = self._flow.graph_builder
        inside = {id(c) for c in self._calls}
        for call in self._calls:
            upstream = {id(e.upstream) for e in graph.upstream_of(call)}
            if self.setup_task is not None and not inside & upstream and id(self.setup_task) not in upstream:
                graph.add_edge(self.setup_task, call, None, "wait_for")
            downstream = {id(e.downstream) for e in graph.edges if e.upstream is call}
            if not inside & downstream and id(self.cleanup_task) not in downstream:
                graph.add_edge(call, self.cleanup_task, None, "wait_for")


class ResourceManager:
    """Makes the init, setup and cleanup tasks of a resource each time it is used in a flow.

    Args:
        resource_class: a class with `setup()` (optional) and `cleanup(resource)`.
        name: the tasks' base name (default: the class's name).
        init_task_kwargs, setup_task_kwargs, cleanup_task_kwargs: options of each task.
    """

    def __init__(self, resource_class: Callable[..., Any], name: str | None = None,
                 init_task_kwargs: dict[str, Any] | None = None, setup_task_kwargs: dict[str, Any] | None = None,
                 cleanup_task_kwargs: dict[str, Any] | None = None) -> None:
        self.resource_class = resource_class
        self.name = name or getattr(resource_class, "__name__", "resource")
        self.init_task_kwargs = {"name": self.name, **(init_task_kwargs or {})}
        self.setup_task_kwargs = {"name": f"{self.name}.setup", "checkpoint": False, **(setup_task_kwargs or {})}
        self.cleanup_task_kwargs = {"name": f"{self.name}.cleanup", "trigger": resource_cleanup_trigger,
                                    "skip_on_upstream_skip": False, "checkpoint": False,
                                    **(cleanup_task_kwargs or {})}

    def __call__(self, *args: Any, flow: Any = None, **kwargs: Any) -> ResourceContext:
        building = flow if flow is not None else building_flow_var.get()
        if building is None:
            raise InvalidDefinitionError("a resource manager must be used inside a `with Flow(...)` block")
        init = building.add_call(ResourceInitTask(self.resource_class, **self.init_task_kwargs), args, kwargs)
        if hasattr(self.resource_class, "setup"):
            setup = building.add_call(ResourceSetupTask(**self.setup_task_kwargs), (init,), {})
            cleanup = building.add_call(ResourceCleanupTask(**self.cleanup_task_kwargs), (init, setup), {})
        else:
            setup = None
            cleanup = building.add_call(ResourceCleanupTask(**self.cleanup_task_kwargs), (init,), {})
        return ResourceContext(init, setup, cleanup, building)


def resource_manager(resource_class: Callable[..., Any] | None = None, *, name: str | None = None,
                     init_task_kwargs: dict[str, Any] | None = None, setup_task_kwargs: dict[str, Any] | None = None,
                     cleanup_task_kwargs: dict[str, Any] | None = None) -> Any:
    """Decorate a class with `setup()` / `cleanup(resource)` to use it as a resource block in flows."""
    def decorate(cls: Callable[..., Any]) -> ResourceManager:
        return ResourceManager(cls, name=name, init_task_kwargs=init_task_kwargs,
                               setup_task_kwargs=setup_task_kwargs, cleanup_task_kwargs=cleanup_task_kwargs)

    return decorate(resource_class) if resource_class is not None else decorate
