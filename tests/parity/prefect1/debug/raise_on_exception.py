"""raise_on_exception() makes flow.run() raise the task's exception instead of returning a Failed state.

Exercises prefect.utilities.debug.raise_on_exception (docs-v1: core/advanced_tutorials/local-debugging).
"""
import logging
import sys

from prefect import Flow, task
from prefect.utilities.debug import raise_on_exception

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def divide(x, y):
    return x / y


with Flow("debug") as flow:
    divide(1, 0)

state = flow.run()
print(type(state).__name__)
with raise_on_exception():
    try:
        flow.run()
    except ZeroDivisionError as exc:
        print("raised", type(exc).__name__, exc)
