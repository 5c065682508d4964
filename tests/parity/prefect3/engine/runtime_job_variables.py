"""`prefect.runtime.flow_run.job_variables` outside a flow run, in a flow run and in its
subflow, when no worker started the run (prefect.runtime)."""

from prefect import flow
from prefect.runtime import flow_run


@flow
def child() -> object:
    return flow_run.job_variables


@flow
def parent() -> tuple[object, object]:
    return flow_run.job_variables, child()


print("outside:", flow_run.job_variables)
print("flow, subflow:", parent())
print("after:", flow_run.job_variables)
