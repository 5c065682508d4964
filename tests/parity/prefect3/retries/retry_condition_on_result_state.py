"""A retry_condition_fn that always says no stops retries even though retries=5.

Exercises @task(retry_condition_fn=...) returning False (Prefect docs: tasks, "Retry condition")."""
from prefect import flow, task

calls = []


def never(task, task_run, state):
    calls.append(("condition", state.type.value))
    return False


@task(retries=5, retry_condition_fn=never)
def once():
    calls.append(("run",))
    raise RuntimeError("x")


@flow
def run():
    state = once(return_state=True)
    return state.type.value


print(run())
print(calls)
