"""A string argument to map is an error for a single iterable, and is passed whole next to a list.

Exercises Task.map treatment of str arguments (Prefect API: Task.map, MappingMissingIterable)."""
from prefect import flow, task


@task
def join(x, sep):
    return f"{x}{sep}"


@flow
def run():
    print(join.map([1, 2], "-").result())
    try:
        print(join.map("ab", "-").result())
    except Exception as exc:
        print("raised", type(exc).__name__)


run()
