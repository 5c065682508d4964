"""apply_map maps a whole function of several tasks over its inputs.

Exercises prefect.apply_map (docs-v1: core/concepts/mapping#complex-mapped-pipelines).
"""
import logging
import sys

from prefect import Flow, apply_map, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def inc(x):
    return x + 1


@task
def is_even(x):
    return x % 2 == 0


@task
def label(x, even):
    return f"{x}:{'even' if even else 'odd'}"


def pipeline(x):
    y = inc(x)
    return label(y, is_even(y))


with Flow("apply-map") as flow:
    labels = apply_map(pipeline, [1, 2, 3])

state = flow.run()
print(state.result[labels].result)
print(sorted(t.name for t in flow.tasks))
