"""Two tasks with the same cache_key share one cache: the second reuses the first one's result.

Exercises Task(cache_key=) (docs-v1: core/concepts/persistence#output-caching).
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


@task(cache_for=datetime.timedelta(minutes=10), cache_key="shared")
def producer_a():
    calls.append("a")
    return "from a"


@task(cache_for=datetime.timedelta(minutes=10), cache_key="shared")
def producer_b():
    calls.append("b")
    return "from b"


with Flow("one") as flow_one:
    a = producer_a()
with Flow("two") as flow_two:
    b = producer_b()

print(flow_one.run().result[a].result)
state = flow_two.run()
print(type(state.result[b]).__name__, state.result[b].result)
print(calls)
