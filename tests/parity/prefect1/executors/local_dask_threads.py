"""LocalDaskExecutor(scheduler="threads") runs a mapped flow on threads with the same results.

Exercises prefect.executors.LocalDaskExecutor (docs-v1: core/concepts/engine#executors).
"""
import logging
import sys

from prefect import Flow, task
from prefect.executors import LocalDaskExecutor

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def square(x):
    return x * x


@task
def total(xs):
    return sum(xs)


with Flow("dask-threads", executor=LocalDaskExecutor(scheduler="threads", num_workers=2)) as flow:
    sq = square.map(list(range(6)))
    t = total(sq)

state = flow.run()
print(type(state).__name__, state.result[sq].result, state.result[t].result)
print(type(flow.executor).__name__)
