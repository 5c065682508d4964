"""map accepts any iterable: a generator, a range and a set of small integers.

Exercises Task.map with non-list iterables (Prefect docs: tasks, "Map")."""
from prefect import flow, task


@task
def neg(x: int) -> int:
    return -x


@flow
def run():
    print(neg.map(i * i for i in range(4)).result())
    print(neg.map(range(2, 5)).result())
    print(sorted(neg.map({3, 1, 2}).result()))


run()
