"""Prefect 1 advanced tutorial "calculator", first steps: a flow that is just Parameter('x') + 1,
then Parameter('x') + Parameter('y'); results read through flow.terminal_tasks().

Exercises task operators on Parameters (+), flow.terminal_tasks(), state.result[task].result.
"""
import logging
import sys

from prefect import task, Flow, Parameter

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


def run(flow, **parameters):
    state = flow.run(**parameters)
    terminal_task = list(flow.terminal_tasks())[0]
    return state.result[terminal_task].result


with Flow('Add one') as flow:
    result = Parameter('x') + 1

print(run(flow, x=1), run(flow, x=2), run(flow, x=-100))
print("tasks:", sorted(t.name for t in flow.tasks))

with Flow('Add x and y') as flow:
    result = Parameter('x') + Parameter('y')

print(run(flow, x=1, y=1), run(flow, x=40, y=2))
print("terminal:", [t.name for t in flow.terminal_tasks()])
