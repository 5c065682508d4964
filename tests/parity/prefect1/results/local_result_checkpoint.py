"""checkpoint=True with a LocalResult writes each task's return value to a file in a directory.

Exercises prefect.engine.results.LocalResult with checkpointing (docs-v1: core/concepts/results).
"""
import logging
import os
import sys

# Checkpointing is off for local runs unless configured before prefect is imported.
os.environ["PREFECT__FLOWS__CHECKPOINTING"] = "true"

from prefect import Flow, task
from prefect.engine.results import LocalResult

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task(checkpoint=True, result=LocalResult(dir="results", location="square.prefect"))
def square(x):
    return x * x


@task(checkpoint=False, result=LocalResult(dir="results", location="skipped.prefect"))
def not_saved(x):
    return x + 1


with Flow("checkpoint") as flow:
    s = square(7)
    n = not_saved(s)

state = flow.run()
print(state.result[s].result, state.result[n].result)
print(sorted(os.listdir("results")))
print(LocalResult(dir="results").read("square.prefect").value)
print(os.path.relpath(state.result[s]._result.location))
