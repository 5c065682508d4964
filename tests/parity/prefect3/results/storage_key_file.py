"""result_storage_key names the file a persisted task result is written to in result_storage.

Exercises @task(persist_result=True, result_storage=Path(...), result_storage_key=...)
(Prefect docs: results, "Result storage key")."""
import os
from pathlib import Path

from prefect import flow, task

storage = Path("results").resolve()


@task(persist_result=True, result_storage=storage, result_storage_key="total-{parameters[n]}.pickle")
def total(n: int) -> int:
    return sum(range(n))


@flow
def run():
    return [total(3), total(5)]


print(run())
print(sorted(os.listdir("results")))
