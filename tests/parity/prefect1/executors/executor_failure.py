"""A failing mapped child under LocalDaskExecutor fails just that child, as under LocalExecutor.

Exercises LocalDaskExecutor with failures (docs-v1: core/concepts/engine#executors).
"""
import logging
import sys

from prefect import Flow, task
from prefect.executors import LocalDaskExecutor, LocalExecutor

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def check(x):
    if x == 2:
        raise ValueError("two is not allowed")
    return x


with Flow("exec-fail") as flow:
    c = check.map([1, 2, 3])

for executor in (LocalExecutor(), LocalDaskExecutor(scheduler="threads")):
    state = flow.run(executor=executor)
    print(type(executor).__name__, type(state).__name__,
          [type(s).__name__ for s in state.result[c].map_states])
