"""Prefect 1's `TaskRunner` (`prefect.engine.task_runner`): run one task outside a flow,
through the same state pipeline a static flow uses (triggers, signals, retries, handlers).

    state = TaskRunner(task=my_task).run(upstream_states={Edge(a, my_task, key="x"): Success(result=1)})
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from headwater.engine.static.taskrun import Edge, run_task

if TYPE_CHECKING:
    from headwater.engine.tasks import Task

__all__ = ["Edge", "TaskRunner"]


class _Call:
    """What the pipeline needs of a node when a task runs on its own."""

    def __init__(self, task: Task[..., Any]) -> None:
        self.task = task
        self.key: str = task.name


class TaskRunner:
    """Runs one task once.

    Args:
        task: the task.
        state_handlers: accepted for compatibility; the task's own state handlers run.
    """

    def __init__(self, task: Any, state_handlers: Any = None, flow_result: Any = None) -> None:
        self.task = task

    def run(self, state: Any = None, upstream_states: dict[Any, Any] | None = None,
            context: dict[str, Any] | None = None, is_mapped_parent: bool = False) -> Any:
        """Run the task from `state` (Pending) with these upstream states; returns its new state.

        Keyed upstream edges (`Edge(upstream, task, key="x")`) pass the upstream result as that argument.
        """
        upstream = dict(upstream_states or {})
        inputs = {edge.key: s.result for edge, s in upstream.items() if getattr(edge, "key", None)}
        values = {"task_name": self.task.name, "task_full_name": self.task.name, "map_index": None,
                  **(context or {})}
        return run_task(_Call(self.task), state, upstream, lambda: self.task.fn(**inputs), values)
