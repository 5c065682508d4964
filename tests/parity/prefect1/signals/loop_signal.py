"""signals.LOOP re-runs a task, passing its result on through context.task_loop_result.

Exercises prefect.engine.signals.LOOP and task looping (docs-v1: core/advanced_tutorials/task-looping).
"""
import logging
import sys

import prefect
from prefect import Flow, Parameter, task
from prefect.engine.signals import LOOP

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def fib_upto(limit):
    payload = prefect.context.get("task_loop_result", {"a": 0, "b": 1, "seen": []})
    a, b, seen = payload["a"], payload["b"], payload["seen"]
    if a > limit:
        return seen
    print("loop", prefect.context.get("task_loop_count"), a)
    raise LOOP(message=f"at {a}", result=dict(a=b, b=a + b, seen=seen + [a]))


with Flow("loop") as flow:
    limit = Parameter("limit", default=20)
    f = fib_upto(limit)

state = flow.run()
print(type(state.result[f]).__name__, state.result[f].result)
