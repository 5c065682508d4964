"""A task with retries=2 that fails twice then succeeds completes on its third run.

Exercises @task(retries=...) and prefect.runtime.task_run.run_count (Prefect docs: tasks, "Retries")."""
from prefect import flow, task
from prefect.runtime import task_run

runs = []


@task(retries=2)
def flaky():
    runs.append(task_run.run_count)
    if len(runs) < 3:
        raise ConnectionError(f"attempt {len(runs)}")
    return "succeeded"


@flow
def run():
    return flaky()


print(run())
print(runs)
