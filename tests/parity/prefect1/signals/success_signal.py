"""Raising signals.SUCCESS ends a task successfully early, with a message and optional result.

Exercises prefect.engine.signals.SUCCESS (docs-v1: api/latest/engine/signals).
"""
import logging
import sys

from prefect import Flow, task
from prefect.engine.signals import SUCCESS

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def short_circuit():
    raise SUCCESS("done early", result=42)
    return 0


@task
def consume(x):
    return f"got {x}"


with Flow("success") as flow:
    s = short_circuit()
    c = consume(s)

state = flow.run()
print(type(state.result[s]).__name__, state.result[s].message, state.result[s].result)
print(state.result[c].result)
