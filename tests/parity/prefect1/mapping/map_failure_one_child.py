"""One failing child of a mapped task fails only that element; the reduce step fails by trigger.

Exercises mapping with failures and trigger propagation (docs-v1: core/concepts/mapping).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def invert(x):
    return 1 / x


@task
def summed(xs):
    return sum(xs)


with Flow("mapfail") as flow:
    inv = invert.map([1, 0, 4])
    s = summed(inv)

state = flow.run()
print(type(state).__name__)
print([type(m).__name__ for m in state.result[inv].map_states])
print(type(state.result[inv]).__name__, type(state.result[s]).__name__)
print(state.result[inv].map_states[0].result, repr(state.result[inv].map_states[1].result))
