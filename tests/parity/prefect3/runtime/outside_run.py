"""Outside any run, prefect.runtime attributes are empty: ids None, tags and parameters empty, not None.

Exercises the defaults of prefect.runtime.flow_run and task_run outside a run."""
from prefect.runtime import flow_run, task_run

print("flow_run.id", flow_run.id)
print("flow_run.name", flow_run.name)
print("flow_run.tags", flow_run.tags)
print("flow_run.parameters", flow_run.parameters)
print("flow_run.parent_flow_run_id", flow_run.parent_flow_run_id)
print("task_run.id", task_run.id)
print("task_run.tags", task_run.tags)
print("task_run.parameters", task_run.parameters)
