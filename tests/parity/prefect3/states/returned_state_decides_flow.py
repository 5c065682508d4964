"""The state a flow returns becomes its final state, whatever happened before.

Exercises returning Completed/Failed states from a flow (Prefect docs: flows, "Final state determination")."""
from prefect import flow, task
from prefect.states import Completed, Failed


@task
def fails():
    raise RuntimeError("task failed")


@flow
def failed_task_then_completed():
    fails.submit()
    return Completed(message="ignoring the failure")


@flow
def fine_then_failed():
    return Failed(message="decided to fail")


s1 = failed_task_then_completed(return_state=True)
print(s1.type.value, s1.name, s1.message)
print(failed_task_then_completed())

s2 = fine_then_failed(return_state=True)
print(s2.type.value, s2.name, s2.message)
try:
    fine_then_failed()
except Exception as exc:
    print("raised:", type(exc).__name__)
