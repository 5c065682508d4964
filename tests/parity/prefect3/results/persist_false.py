"""persist_result=False keeps the result in memory only: it is still returned, nothing is written.

Exercises @task(persist_result=False) / @flow(persist_result=False) (Prefect docs: results)."""
import os
from pathlib import Path

from prefect import flow, task

storage = Path("never").resolve()


@task(persist_result=False, result_storage=storage)
def compute(x: int) -> int:
    return x * 3


@flow(persist_result=False)
def run():
    state = compute(4, return_state=True)
    return state.result()


print(run())
print(os.path.exists("never") and os.listdir("never"))
