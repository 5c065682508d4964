"""Flows with keyword-only parameters: called by keyword they work; runtime parameters name them.

Exercises flow signatures with * separators (Prefect docs: flows, "Parameters")."""
from prefect import flow
from prefect.runtime import flow_run


@flow
def kw(a: int, *, b: int = 2, c: str):
    return a, b, c, sorted(flow_run.parameters.items())


print(kw(1, c="x"))
print(kw("3", b="4", c="y"))
try:
    kw(1, 2, c="z")
except TypeError as exc:
    print("positional for keyword-only:", isinstance(exc, TypeError))
