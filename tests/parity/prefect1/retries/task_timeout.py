"""timeout= (seconds) stops a task that runs too long; it ends TimedOut, a kind of Failed.

Exercises Task(timeout=) and the TimedOut state (docs-v1: api/latest/core/task).
"""
import logging
import sys
import time

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task(timeout=1)
def slow():
    time.sleep(5)
    return "finished"


@task(timeout=5)
def fast():
    return "quick"


with Flow("timeouts") as flow:
    s = slow()
    f = fast()

state = flow.run()
print(type(state.result[s]).__name__, state.result[s].is_failed())
print(type(state.result[f]).__name__, state.result[f].result)
print(type(state).__name__)
