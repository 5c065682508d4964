"""A persisted result under a fixed key is reused by a later run with the same cache key,
so the task body runs once and the second state is Cached.

Exercises cache_key_fn with persisted results (Prefect docs: caching)."""
import os
from pathlib import Path

from prefect import flow, task

storage = Path("cache").resolve()
runs = []


def by_x(context, parameters):
    return f"x-{parameters['x']}"


@task(cache_key_fn=by_x, persist_result=True, result_storage=storage)
def costly(x: int) -> int:
    runs.append(x)
    return x * 7


@flow
def run():
    first = costly(2, return_state=True)
    second = costly(2, return_state=True)
    third = costly(3, return_state=True)
    print(first.name, second.name, third.name)
    print(first.result(), second.result(), third.result())
    print(second.is_completed())


run()
print(runs)
print(sorted(os.listdir("cache")))
