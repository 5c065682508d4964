"""The flow state's result maps every task of the flow, including Parameters and collection tasks.

Exercises State.result of a flow run and Flow.get_tasks (docs-v1: core/concepts/states).
"""
import logging
import sys

from prefect import Flow, Parameter, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def pair(a, b):
    return [a, b]


with Flow("keys") as flow:
    x = Parameter("x", default=1)
    p = pair(x, 2)
    q = pair([x, p], {"k": x})

state = flow.run()
print(len(state.result), len(flow.tasks))
print(sorted(t.name for t in state.result))
print(sorted(type(s).__name__ for s in state.result.values()))
print(state.result[q].result)
