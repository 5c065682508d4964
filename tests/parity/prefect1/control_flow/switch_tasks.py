"""switch() runs exactly one branch chosen by a task's value; the others are skipped.

Exercises prefect.tasks.control_flow.switch (docs-v1: api/latest/tasks/control_flow).
"""
import logging
import sys

from prefect import Flow, Parameter, task
from prefect.tasks.control_flow import switch

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def pick(n):
    return ["red", "green", "blue"][n]


@task
def paint(color):
    return f"painted {color}"


with Flow("switch") as flow:
    n = Parameter("n", default=0)
    choice = pick(n)
    red = paint("red")
    green = paint("green")
    blue = paint("blue")
    switch(choice, dict(red=red, green=green, blue=blue))

for value in (0, 2):
    state = flow.run(n=value)
    print([type(state.result[t]).__name__ for t in (red, green, blue)])
    print([state.result[t].result for t in (red, green, blue)])
