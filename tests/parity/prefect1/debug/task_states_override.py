"""flow.run(task_states={task: Success(result=...)}) skips running a task and feeds the given result
downstream, a local-debugging aid. Exercises flow.run(task_states=) (docs-v1: core/advanced_tutorials/local-debugging).
"""
import logging
import sys

from prefect import Flow, task
from prefect.engine.state import Success

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

calls = []


@task
def fetch():
    calls.append("fetch")
    return 1


@task
def process(x):
    calls.append("process")
    return x + 10


with Flow("replay") as flow:
    f = fetch()
    p = process(f)

print(repr(flow), flow.name)
state = flow.run(task_states={f: Success(result=100)})
print(calls, state.result[f].result, state.result[p].result)
