"""signals.PAUSE pauses a task; a local flow.run() asks on the console to resume it (answered "y"
through sys.stdin here), and the resumed run sees context.resume. Exercises PAUSE (docs-v1:
api/latest/engine/signals).
"""
import io
import logging
import sys

import prefect
from prefect import Flow, task
from prefect.engine.signals import PAUSE

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

attempts = []


@task
def gate(x):
    attempts.append(bool(prefect.context.get("resume")))
    if not prefect.context.get("resume"):
        raise PAUSE("waiting for a human")
    return x * 2


@task
def after(y):
    return y + 1


with Flow("pause") as flow:
    g = gate(20)
    a = after(g)

sys.stdin = io.StringIO("y\n")
state = flow.run()
print(attempts)
print(type(state.result[g]).__name__, state.result[g].result, state.result[a].result)
print(type(state).__name__)
