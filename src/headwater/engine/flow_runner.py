"""Prefect 1's `FlowRunner` (`prefect.engine.flow_runner`): run a static flow once.

    state = FlowRunner(flow=flow).run(parameters={"x": 1})

The same run as `flow.run(...)` without following the flow's schedule.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FlowRunner"]


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
        """Run the flow once; returns its state (`.result[task]` for every task)."""
        return self.flow.run(parameters=parameters or {}, run_on_schedule=False, executor=executor,
                             context=context, task_states=task_states)
