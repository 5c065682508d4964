"""When every retry fails the task ends Failed with its last exception, and the flow fails.

Exercises max_retries exhaustion (docs-v1: core/concepts/tasks#retries).
"""
import datetime
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

count = {"n": 0}


@task(max_retries=2, retry_delay=datetime.timedelta(milliseconds=5))
def always_fails():
    count["n"] += 1
    raise ValueError(f"failure {count['n']}")


with Flow("exhausted") as flow:
    a = always_fails()

state = flow.run()
print(count["n"], type(state.result[a]).__name__, repr(state.result[a].result))
print(type(state).__name__)
