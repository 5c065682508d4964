"""Prefect 1 advanced tutorial "local debugging": with raise_on_exception() the ZeroDivisionError
of div(0) propagates out of flow.run(); without it the flow ends Failed and holds the exception.

Exercises prefect.utilities.debug.raise_on_exception, a failed task's state.result exception.
"""
import logging
import sys

from prefect import Flow, task
from prefect.utilities.debug import raise_on_exception

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def div(x):
    return 1 / x


with Flow("My Flow") as f:
    val = div(0)

try:
    with raise_on_exception():
        f.run()
except ZeroDivisionError as exc:
    print("raised:", type(exc).__name__, exc)

state = f.run()
print(type(state).__name__, type(state.result[val]).__name__, repr(state.result[val].result))
