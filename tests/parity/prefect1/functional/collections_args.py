"""Lists, tuples and dicts of task results passed to a task are collected into real values.

Exercises automatic List/Tuple/Dict collection tasks (docs-v1: core/concepts/flows).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def num(x):
    return x


@task
def show(items, pair, mapping):
    return f"{items} {pair} {sorted(mapping.items())}"


with Flow("collections") as flow:
    a = num(1)
    b = num(2)
    out = show([a, b, 3], (b, a), {"x": a, "y": 9})

state = flow.run()
print(state.result[out].result)
print(type(state).__name__)
