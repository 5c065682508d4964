"""flow_run_name and task_run_name templates filled from parameters, and callables that
read prefect.runtime; the names are observed through prefect.runtime."""
from prefect import flow, task
from prefect.runtime import flow_run, task_run


def task_name_fn():
    return f"job-{task_run.parameters['item']}-{task_run.task_name}"


@task(task_run_name="process-{item}")
def process(item):
    return task_run.name


@task(task_run_name=task_name_fn)
def other(item):
    return task_run.name


@flow(flow_run_name="nightly-{day}")
def nightly(day: str):
    return flow_run.name, process("a"), other("b")


def flow_name_fn():
    return f"{flow_run.flow_name}-for-{flow_run.parameters['n']}"


@flow(flow_run_name=flow_name_fn)
def computed(n: int):
    return flow_run.name


print(nightly("mon"))
print(computed(4))
print(nightly.with_options(flow_run_name="other-{day}")("tue")[0])
