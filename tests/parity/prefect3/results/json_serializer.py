"""result_serializer="json" persists a JSON-serialisable result; the value comes back unchanged.

Exercises @task(result_serializer="json") with local storage (Prefect docs: results, "Serializers")."""
import os
from pathlib import Path

from prefect import flow, task

storage = Path("out").resolve()


@task(persist_result=True, result_serializer="json", result_storage=storage, result_storage_key="data.json")
def produce() -> dict:
    return {"numbers": [1, 2, 3], "name": "x", "nested": {"ok": True}}


@flow
def run():
    state = produce(return_state=True)
    print(state.result())
    return "done"


print(run())
print(os.listdir("out"))
