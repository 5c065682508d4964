"""prefect.runtime.flow_run.parameters holds the bound (coerced) parameters of the running flow.

Exercises prefect.runtime.flow_run.parameters (Prefect docs: runtime context)."""
from prefect import flow, task
from prefect.runtime import flow_run, task_run


@task
def look(x: int, label: str = "t"):
    return sorted(task_run.parameters.items())


@flow
def outer(count: int, name: str = "default"):
    print(sorted(flow_run.parameters.items()))
    print(look(count))
    return "ok"


print(outer("3"))
print(outer(count=1, name="given"))
