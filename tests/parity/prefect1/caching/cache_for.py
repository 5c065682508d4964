"""cache_for keeps a task's result for a while: the second flow.run() in a process reuses it.

Exercises Task(cache_for=) and the Cached state (docs-v1: core/concepts/persistence#output-caching).
"""
import datetime
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

calls = []


@task(cache_for=datetime.timedelta(hours=1))
def expensive(x):
    calls.append(x)
    return x * 100


with Flow("cached") as flow:
    e = expensive(3)

first = flow.run()
second = flow.run()
print(calls)
print(type(first.result[e]).__name__, first.result[e].result)
print(type(second.result[e]).__name__, second.result[e].result)
