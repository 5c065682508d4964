"""prefect.runtime attributes inside flows, subflows and tasks: parent/root ids relate
as expected, tags are lists, deployment attributes are None for a local run."""
from prefect import flow, task
from prefect import runtime


@task
def inner(x):
    tr = runtime.task_run
    print("task_name", tr.task_name)
    print("task parameters", tr.parameters)
    print("task tags", tr.tags, type(tr.tags).__name__)
    print("task run_count", tr.run_count)
    print("task name startswith", tr.name.startswith("inner-"))
    print("task id set", tr.id is not None)
    return x


@flow
def child(y=2):
    fr = runtime.flow_run
    print("child flow_name", fr.flow_name)
    print("child parameters", fr.parameters)
    print("child parent set", fr.parent_flow_run_id is not None)
    print("child root set", fr.root_flow_run_id is not None)
    print("child parent==root", fr.parent_flow_run_id == fr.root_flow_run_id)
    print("child parent_deployment_id", fr.parent_deployment_id)
    return fr.root_flow_run_id


@flow(version="7")
def parent(x: int = 1):
    fr = runtime.flow_run
    print("flow_name", fr.flow_name)
    print("parameters", fr.parameters)
    print("tags", fr.tags, type(fr.tags).__name__)
    print("run_count", fr.run_count)
    print("parent_flow_run_id", fr.parent_flow_run_id)
    print("root is self", fr.root_flow_run_id == fr.id)
    print("deployment version", runtime.deployment.version)
    print("deployment flow_run_id", runtime.deployment.flow_run_id == fr.id)
    print("deployment name", runtime.deployment.name)
    print("deployment id", runtime.deployment.id)
    print("deployment parameters", runtime.deployment.parameters)
    print("flow_version", fr.flow_version)
    print("scheduled_start_time set", fr.scheduled_start_time is not None)
    print("job_variables", fr.job_variables)
    inner(x)
    print("child root is me", child() == fr.id)


parent()
print("outside flow id", runtime.flow_run.id)
print("outside task id", runtime.task_run.id)
print("outside parameters", runtime.flow_run.parameters, runtime.task_run.parameters)
print("outside tags", runtime.flow_run.tags, runtime.task_run.tags)
