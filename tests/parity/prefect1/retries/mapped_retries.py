"""In a mapped task with retries, only the failing children run again.

Exercises max_retries on mapped tasks (docs-v1: core/concepts/mapping).
"""
import datetime
import logging
import sys

import prefect
from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

runs = []


@task(max_retries=2, retry_delay=datetime.timedelta(milliseconds=5))
def sometimes(x):
    count = prefect.context.get("task_run_count")
    runs.append((x, count))
    if x == "b" and count < 2:
        raise RuntimeError("b needs a second try")
    return f"{x}{count}"


with Flow("mapped-retries") as flow:
    out = sometimes.map(["a", "b", "c"])

state = flow.run()
print(sorted(runs))
print(state.result[out].result, type(state).__name__)
