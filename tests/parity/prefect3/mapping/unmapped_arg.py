"""unmapped() passes the same value to every mapped run instead of iterating it.

Exercises prefect.unmapped with Task.map (Prefect docs: tasks, "Map over iterables")."""
from prefect import flow, task, unmapped


@task
def scale(x: int, factors: list) -> list:
    return [x * f for f in factors]


@flow
def run():
    return scale.map([1, 2, 3], factors=unmapped([10, 100])).result()


print(run())
