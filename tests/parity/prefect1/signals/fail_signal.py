"""Raising signals.FAIL ends a task Failed with the given message; downstream becomes TriggerFailed.

Exercises prefect.engine.signals.FAIL (docs-v1: core/concepts/execution#signals).
"""
import logging
import sys

from prefect import Flow, task
from prefect.engine import signals

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def check(x):
    if x < 0:
        raise signals.FAIL(f"negative input: {x}")
    return x


@task
def use(x):
    return x * 2


with Flow("fail") as flow:
    c = check(-1)
    u = use(c)

state = flow.run()
st = state.result[c]
print(type(st).__name__, st.message, st.is_failed())
print(type(state.result[u]).__name__, state.result[u].is_failed())
print(type(state).__name__)
