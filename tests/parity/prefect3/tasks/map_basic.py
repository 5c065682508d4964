"""Task.map runs the task once per element and returns futures in input order.

Exercises Task.map and PrefectFutureList.result (Prefect docs: tasks, "Map")."""
from prefect import flow, task
from prefect.futures import PrefectFutureList


@task
def double(x: int) -> int:
    return 2 * x


@flow
def run():
    futures = double.map([3, 1, 2])
    print("type:", isinstance(futures, PrefectFutureList), len(futures))
    print([f.result() for f in futures])
    return futures.result()


print(run())
