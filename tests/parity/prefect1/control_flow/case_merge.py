"""case() runs the tasks in its block only when the condition matches; merge() takes the branch that ran.

Exercises prefect.case and prefect.tasks.control_flow.merge (docs-v1: core/idioms/conditional).
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
def is_big(x):
    return x > 10


@task
def big(x):
    return f"big {x}"


@task
def small(x):
    return f"small {x}"


with Flow("branch") as flow:
    x = Parameter("x")
    cond = is_big(x)
    with case(cond, True):
        b = big(x)
    with case(cond, False):
        s = small(x)
    result = merge(b, s)

for value in (3, 30):
    state = flow.run(x=value)
    print(state.result[result].result, type(state.result[b]).__name__, type(state.result[s]).__name__)
    print(type(state).__name__)
