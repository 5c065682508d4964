"""A flow with persist_result and a result_storage_key writes its own result under that key.

Exercises @flow(persist_result=True, result_storage=..., result_storage_key=...) (Prefect docs: results)."""
import os
from pathlib import Path

from prefect import flow

storage = Path("flow-results").resolve()


@flow(persist_result=True, result_storage=storage)
def answer():
    return 42


print(answer())
print(len(os.listdir("flow-results")) >= 1)
