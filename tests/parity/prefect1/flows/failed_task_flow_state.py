"""A task that raises makes flow.run() return a Failed state without raising; downstream tasks fail too.

Exercises flow.run() with a failing task and the TriggerFailed state (docs-v1: core/concepts/states).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def boom():
    raise ValueError("no data today")


@task
def after(x):
    return x


@task
def independent():
    return "still runs"


with Flow("failing") as flow:
    b = boom()
    a = after(b)
    i = independent()

state = flow.run()
print(type(state).__name__, state.is_failed())
print(state.message)
print(type(state.result[b]).__name__, repr(state.result[b].result))
print(type(state.result[a]).__name__)
print(type(state.result[i]).__name__, state.result[i].result)
