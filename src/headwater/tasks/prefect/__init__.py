"""Prefect 1's tasks that start registered flows and wait on their runs (`prefect.tasks.prefect`).

    from headwater import Flow
    from headwater.tasks.prefect import create_flow_run, wait_for_flow_run, get_task_run_result

    with Flow("parent") as flow:
        child_id = create_flow_run(flow_name="child", project_name="etl", parameters={"n": 3})
        child = wait_for_flow_run(child_id, raise_final_state=True)

The child is a flow registered with `flow.register(project_name=...)`; its run is
left to a worker of its pool (`headwater agent local start`), as Prefect 1 leaves
it to an agent.
"""

from __future__ import annotations

from headwater.tasks.prefect.flow_run import (
    CancelFlowRun,
    RenameFlowRun,
    StartFlowRun,
    create_flow_run,
    get_task_run_result,
    wait_for_flow_run,
)

__all__ = ["CancelFlowRun", "RenameFlowRun", "StartFlowRun", "create_flow_run", "get_task_run_result",
           "wait_for_flow_run"]
