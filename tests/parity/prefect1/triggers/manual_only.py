"""trigger=manual_only asks for approval on the console when the flow runs locally; answering
"y" (fed through sys.stdin here) resumes it.

Exercises prefect.triggers.manual_only and the Paused state (docs-v1: api/latest/triggers).
"""
import io
import logging
import sys

from prefect import Flow, task
from prefect.triggers import manual_only

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def prepare():
    return 1


@task(trigger=manual_only)
def approve(x):
    return x + 1


@task
def after(x):
    return x


with Flow("manual") as flow:
    p = prepare()
    a = approve(p)
    z = after(a)

for _ in range(2):
    sys.stdin = io.StringIO("y\n")
    state = flow.run()
    print()
    print(type(state.result[p]).__name__)
    print(type(state.result[a]).__name__, state.result[a].is_finished())
    print(z in state.result, type(state).__name__)
