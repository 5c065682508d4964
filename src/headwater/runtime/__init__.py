"""Facts about the run that is executing, as in `prefect.runtime`.

    from headwater.runtime import deployment, flow_run, task_run
    flow_run.id, flow_run.name, flow_run.parameters, flow_run.root_flow_run_id
    task_run.id, task_run.name, task_run.task_name, task_run.parameters
    deployment.id, deployment.name

Outside a run the attributes are None, except parameters ({}), tags ([]) and run_count (0).
"""

from headwater.runtime import deployment, flow_run, task_run

__all__ = ["deployment", "flow_run", "task_run"]
