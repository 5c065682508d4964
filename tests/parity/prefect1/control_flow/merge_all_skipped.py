"""merge() of branches that were all skipped gives None; merge prefers the first branch that ran.

Exercises prefect.tasks.control_flow.merge edge cases (docs-v1: api/latest/tasks/control_flow).
"""
import logging
import sys

from prefect import Flow, Parameter, case, task
from prefect.tasks.control_flow import merge

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def value(v):
    return v


with Flow("merge") as flow:
    choice = Parameter("choice")
    with case(choice, "a"):
        a = value("A")
    with case(choice, "b"):
        b = value("B")
    always = value("always")
    m = merge(a, b)
    first_wins = merge(always, a)

for c in ("a", "b", "z"):
    state = flow.run(choice=c)
    print(c, state.result[m].result, type(state.result[m]).__name__, state.result[first_wins].result)
