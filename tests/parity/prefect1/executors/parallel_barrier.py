"""Two independent tasks that must meet at a barrier: LocalDaskExecutor(threads) runs them at once
so both succeed; the default LocalExecutor runs one at a time, so the first waits in vain and fails.
Exercises LocalExecutor vs LocalDaskExecutor concurrency (docs-v1: core/concepts/engine#executors).
"""
import logging
import sys
import threading

from prefect import Flow, task
from prefect.executors import LocalDaskExecutor

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

barrier = {"b": None}


@task
def meet(name):
    barrier["b"].wait(timeout=2)
    return f"{name} met"


with Flow("barrier") as flow:
    left = meet("left")
    right = meet("right")

for label, executor in (("dask", LocalDaskExecutor(scheduler="threads", num_workers=2)), ("default", None)):
    barrier["b"] = threading.Barrier(2)
    state = flow.run(executor=executor) if executor else flow.run()
    results = sorted(type(state.result[t]).__name__ for t in (left, right))
    print(label, type(state).__name__, results)
