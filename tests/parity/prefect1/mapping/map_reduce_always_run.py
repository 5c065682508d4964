"""A reduce task with trigger=always_run after a mapped task with one failing child receives the
child results, the failed one as its exception. Exercises mapping + always_run (docs-v1: core/concepts/mapping).
"""
import logging
import sys

from prefect import Flow, task
from prefect.triggers import always_run

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def half(x):
    if x % 2:
        raise ValueError(f"odd {x}")
    return x // 2


@task(trigger=always_run)
def summarize(values):
    return [v if isinstance(v, int) else type(v).__name__ for v in values]


with Flow("reduce-always") as flow:
    h = half.map([2, 3, 4])
    s = summarize(h)

state = flow.run()
print(type(state.result[s]).__name__, state.result[s].result)
print(type(state).__name__)
