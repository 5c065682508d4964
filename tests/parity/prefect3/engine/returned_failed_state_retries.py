"""Returning a Failed state counts as a failure for retries (tasks and flows retry), and
Completed(data=...) returned by hand gives that data as the result."""
from prefect import flow, task
from prefect.runtime import flow_run, task_run
from prefect.states import Completed, Failed

attempts = []


@task(retries=2, retry_delay_seconds=0)
def soft_fail():
    attempts.append(("task", task_run.run_count))
    if task_run.run_count < 2:
        return Failed(message="soft")
    return Completed(data="task data")


@flow(retries=1, retry_delay_seconds=0)
def flow_soft_fail():
    attempts.append(("flow", flow_run.run_count))
    if flow_run.run_count < 2:
        return Failed(message="flow soft")
    return soft_fail()


print(flow_soft_fail())
print(attempts)
