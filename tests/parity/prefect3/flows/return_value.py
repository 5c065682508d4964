"""A flow's return value comes back from the call; a task called inside returns its value.

Exercises @flow / @task direct calls (Prefect docs: "Write and run flows")."""
from prefect import flow, task


@task
def add(a: int, b: int) -> int:
    return a + b


@flow
def arithmetic(x: int, y: int = 10) -> dict:
    total = add(x, y)
    doubled = add(total, total)
    return {"total": total, "doubled": doubled}


result = arithmetic(5)
print(sorted(result.items()))
print(arithmetic(1, y=2)["doubled"])
