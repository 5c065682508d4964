"""Futures from many submits return their own results, whatever order they finish in.

Exercises Task.submit in a loop and resolving futures in submission order (Prefect docs: futures)."""
import time

from prefect import flow, task


@task
def echo(i: int) -> int:
    time.sleep(0.05 * (5 - i))
    return i


@flow
def run():
    futures = [echo.submit(i) for i in range(5)]
    return [f.result() for f in futures]


print(run())
