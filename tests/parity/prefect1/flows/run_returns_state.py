"""flow.run() returns the flow's final State; its .result maps each task to its own State.

Exercises Prefect 1's Flow, flow.run() and State.result (docs-v1: core/concepts/flows).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def add(x, y):
    return x + y


@task
def double(x):
    return 2 * x


with Flow("arith") as flow:
    total = add(1, 2)
    doubled = double(total)

state = flow.run()
print(type(state).__name__)
print(state.is_successful(), state.is_failed(), state.is_finished())
print(state.message)
print(type(state.result[total]).__name__, state.result[total].result)
print(type(state.result[doubled]).__name__, state.result[doubled].result)
print(len(state.result))
