"""ifelse() runs one of two tasks depending on a boolean task result.

Exercises prefect.tasks.control_flow.ifelse (docs-v1: api/latest/tasks/control_flow).
"""
import logging
import sys

from prefect import Flow, Parameter, task
from prefect.tasks.control_flow import ifelse

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def positive(x):
    return x > 0


@task
def report(msg):
    print(msg)
    return msg


with Flow("ifelse") as flow:
    x = Parameter("x")
    yes = report("positive")
    no = report("not positive")
    ifelse(positive(x), yes, no)

for value in (5, -5):
    state = flow.run(x=value)
    print(type(state.result[yes]).__name__, type(state.result[no]).__name__, type(state).__name__)
