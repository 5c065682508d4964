"""Task.submit returns a PrefectFuture; .result() waits and returns the value.

Exercises Task.submit and PrefectFuture.result (Prefect docs: task runners, futures)."""
from prefect import flow, task
from prefect.futures import PrefectFuture


@task
def inc(x: int) -> int:
    return x + 1


@flow
def run():
    fut = inc.submit(1)
    print("is PrefectFuture:", isinstance(fut, PrefectFuture))
    chained = inc.submit(fut)
    print("chained:", chained.result())
    return fut.result()


print(run())
