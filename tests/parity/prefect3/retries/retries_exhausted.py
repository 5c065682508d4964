"""When every retry fails the task ends Failed with the last exception, after retries+1 runs.

Exercises @task(retries=...) exhaustion (Prefect docs: tasks, "Retries")."""
from prefect import flow, task

attempts = []


@task(retries=3)
def always_fails():
    attempts.append(len(attempts) + 1)
    raise ValueError(f"failure {len(attempts)}")


@flow
def run():
    state = always_fails(return_state=True)
    print(state.type.value, state.name)
    print(state.result(raise_on_failure=False))
    return len(attempts)


print(run())
