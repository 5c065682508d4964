"""Prefect 1 advanced tutorial "notifications": state handlers on two tasks and on the flow see
every state change of div(x=add(-1)); the Slack notifier is replaced by a handler that records
the transitions (and returns the new state, as the tutorial stresses).

Exercises state_handlers=[...] on tasks and Flow, (obj, old_state, new_state) signature, Failed.
"""
import logging
import sys

from prefect import Flow, task
from prefect.engine.state import Failed

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

transitions = []


def generic_state_handler(task_or_flow, old_state, new_state):
    transitions.append((task_or_flow.name, type(old_state).__name__, type(new_state).__name__))
    return new_state  # this is important


failures = []


def only_failed(task_or_flow, old_state, new_state):
    if isinstance(new_state, Failed):
        failures.append((task_or_flow.name, type(new_state.result).__name__))
    return new_state


@task(name="1/x task", state_handlers=[generic_state_handler, only_failed])
def div(x):
    return 1 / x


@task(name="Add 1 task", state_handlers=[generic_state_handler])
def add(x):
    return x + 1


with Flow('Add Divide Flow', state_handlers=[generic_state_handler]) as f:
    res = div(x=add(-1))


final_state = f.run()
print(type(final_state).__name__)
for t in transitions:
    print(t)
print("failures:", failures)
