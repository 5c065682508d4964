"""A result the json serializer cannot encode makes the persisted task fail.

Exercises result_serializer="json" with a non-JSON value (Prefect docs: results, "Serializers")."""
import os
from pathlib import Path

from prefect import flow, task

storage = Path("json-out").resolve()


class Opaque:
    pass


@task(persist_result=True, result_serializer="json", result_storage=storage)
def unserialisable():
    return Opaque()


@flow
def run():
    state = unserialisable(return_state=True)
    print(state.type.value)
    return "flow continues"


print(run())
