"""A flow whose retries are all used up ends Failed; the call raises the last exception.

Exercises @flow(retries=...) exhaustion (Prefect docs: flows, "Retries")."""
from prefect import flow

count = {"n": 0}


@flow(retries=1)
def never_works():
    count["n"] += 1
    raise PermissionError(f"denied {count['n']}")


state = never_works(return_state=True)
print(state.type.value, count["n"])
print(state.result(raise_on_failure=False))
