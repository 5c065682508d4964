"""Raising signals.SKIP ends a task Skipped, which counts as successful for the flow.

Exercises prefect.engine.signals.SKIP (docs-v1: core/concepts/execution#signals).
"""
import logging
import sys

from prefect import Flow, task
from prefect.engine.signals import SKIP

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def maybe(x):
    if x == 0:
        raise SKIP("zero means nothing to do")
    return x


with Flow("skip") as flow:
    a = maybe(0)
    b = maybe(1)

state = flow.run()
print(type(state.result[a]).__name__, state.result[a].message, state.result[a].result)
print(type(state.result[b]).__name__, state.result[b].result)
print(type(state).__name__, state.is_successful())
