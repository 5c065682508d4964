"""A future passed as an argument to another task is resolved to its value first,
also inside lists and dicts.

Exercises passing PrefectFuture objects between tasks (Prefect docs: tasks, "Task dependencies")."""
from prefect import flow, task


@task
def number(n: int) -> int:
    return n


@task
def combine(a: int, many: list, mapping: dict) -> str:
    return f"{a} {many} {sorted(mapping.items())}"


@flow
def run():
    a = number.submit(1)
    b = number.submit(2)
    c = number.submit(3)
    return combine(a, [b, c], {"x": a, "y": c})


print(run())
