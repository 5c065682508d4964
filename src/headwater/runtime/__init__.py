"""Facts about the run that is executing, as in `prefect.runtime`.

    from headwater.runtime import flow_run, task_run
    flow_run.id, flow_run.name, flow_run.parameters, flow_run.run_count
    task_run.id, task_run.name, task_run.task_name, task_run.parameters

Outside a run every attribute is None (parameters: {}).
"""

from headwater.runtime import flow_run, task_run

__all__ = ["flow_run", "task_run"]
