"""Mapping over a tuple iterates its items; mapping over a dict iterates its keys (insertion order).

Exercises Task.map with tuple and dict iterables (Prefect docs: tasks, "Map")."""
from prefect import flow, task


@task
def show(x):
    return repr(x)


@flow
def run():
    print(show.map(("a", "b", "c")).result())
    print(show.map({"first": 1, "second": 2}).result())
    print(show.map(range(3)).result())


run()
