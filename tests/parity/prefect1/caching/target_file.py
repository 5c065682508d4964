"""target= with a LocalResult: when the target file exists the task is not run again (Cached).

Exercises Task(target=, checkpoint=True, result=LocalResult) (docs-v1: core/idioms/targets).
"""
import logging
import os
import sys

# Targets need checkpointing, which is off for local runs unless configured before import.
os.environ["PREFECT__FLOWS__CHECKPOINTING"] = "true"

from prefect import Flow, task
from prefect.engine.results import LocalResult

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

calls = []


@task(target="{task_name}-output.txt", checkpoint=True, result=LocalResult(dir="targets"))
def produce():
    calls.append("ran")
    return "payload"


with Flow("targets") as flow:
    p = produce()

first = flow.run()
second = flow.run()
print(calls)
print(type(first.result[p]).__name__, first.result[p].result)
print(type(second.result[p]).__name__, second.result[p].result)
print(sorted(os.listdir("targets")))
