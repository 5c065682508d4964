"""Setting result_storage_key is enough to persist a task's result; the key names the file.

Exercises @task(result_storage_key=...) without persist_result (Prefect docs: results)."""
import os
from pathlib import Path

from prefect import flow, task

storage = Path("store").resolve()


@task(result_storage=storage, result_storage_key="greeting-{parameters[who]}")
def greet(who: str) -> str:
    return f"hello {who}"


@flow
def run():
    return greet("ann"), greet("bob")


print(run())
print(sorted(os.listdir("store")))
