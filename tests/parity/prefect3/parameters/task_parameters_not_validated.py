"""Task arguments are passed as given: tasks do not coerce by type hints, unlike flows.

Exercises task parameter handling versus flow parameter validation (Prefect docs: tasks)."""
from prefect import flow, task


@task
def typed_task(x: int):
    return type(x).__name__


@flow
def run(y: int):
    return typed_task("5"), typed_task(y), type(y).__name__


print(run("6"))
