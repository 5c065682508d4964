"""DaskExecutor with a temporary in-process Dask cluster runs a mapped flow with the same results.

Exercises prefect.executors.DaskExecutor(cluster_kwargs=) (docs-v1: core/concepts/engine#executors).
"""
import logging
import sys

from prefect import Flow, task
from prefect.executors import DaskExecutor

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def cube(x):
    return x ** 3


@task
def total(xs):
    return sum(xs)


with Flow("dask") as flow:
    c = cube.map([1, 2, 3, 4])
    t = total(c)

if __name__ == "__main__":
    executor = DaskExecutor(cluster_kwargs={"n_workers": 1, "threads_per_worker": 2, "processes": False,
                                            "dashboard_address": None})
    state = flow.run(executor=executor)
    print(type(state).__name__, state.result[c].result, state.result[t].result)
