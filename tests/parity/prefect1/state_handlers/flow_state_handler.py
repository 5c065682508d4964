"""A flow state handler sees the flow run's transitions; a task handler can replace the new state.

Exercises Flow(state_handlers=[...]) and a handler returning a different state (docs-v1: core/concepts/notifications).
"""
import logging
import sys

from prefect import Flow, task
from prefect.engine.state import Success

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


def flow_trace(flow, old_state, new_state):
    print(f"flow {flow.name}: {type(old_state).__name__} -> {type(new_state).__name__}")
    return new_state


def forgive(task, old_state, new_state):
    if new_state.is_failed():
        print("forgiving", task.name)
        return Success(message="forgiven", result="fallback")
    return new_state


@task(state_handlers=[forgive])
def fails():
    raise RuntimeError("boom")


@task
def uses(x):
    return f"used {x}"


with Flow("flow-handlers", state_handlers=[flow_trace]) as flow:
    u = uses(fails())

state = flow.run()
print(type(state).__name__, state.result[u].result)
