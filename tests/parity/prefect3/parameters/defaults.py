"""Missing arguments take their defaults; None defaults and mutable defaults behave as in Python.

Exercises flow parameter defaults and prefect.runtime.flow_run.parameters (Prefect docs: flows)."""
from typing import Optional

from prefect import flow
from prefect.runtime import flow_run


@flow
def defaults(a: int, b: int = 2, c: Optional[str] = None, d: list = [1]):
    return a, b, c, d, sorted(flow_run.parameters)


print(defaults(1))
print(defaults(1, 3, "x", [4]))
print(defaults(a=5, c="y"))
