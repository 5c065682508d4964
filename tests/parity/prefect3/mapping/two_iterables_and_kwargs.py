"""map zips several iterables element by element, and keyword iterables are mapped too.

Exercises Task.map with multiple positional and keyword iterables (Prefect docs: tasks, "Map")."""
from prefect import flow, task


@task
def fmt(name: str, count: int, suffix: str = "!") -> str:
    return f"{name}x{count}{suffix}"


@flow
def run():
    print(fmt.map(["a", "b"], [1, 2]).result())
    print(fmt.map(name=["c", "d"], count=[3, 4]).result())
    print(fmt.map(["e", "f"], [5, 6], suffix=["?", "."]).result())


run()
