"""Prefect 1 advanced tutorial "calculator", parsing an expression: parse_input returns a dict and
the flow indexes it (inputs['x']) to get tasks, then switch/merge as before.

Exercises task indexing (GetItem), operators on tasks, switch on a task's result, merge.
"""
import logging
import sys
import warnings

from prefect import task, Flow, Parameter
from prefect.tasks.control_flow import switch, merge

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


def run(flow, **parameters):
    state = flow.run(**parameters)
    terminal_task = list(flow.terminal_tasks())[0]
    return state.result[terminal_task].result


@task
def parse_input(expression):
    x, op, y = expression.split(' ')
    return dict(x=float(x), op=op, y=float(y))


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with Flow('Arithmetic') as flow:
        inputs = parse_input(Parameter('expression'))

        # once we have our inputs, everything else is the same:
        x, y = inputs['x'], inputs['y']
        operations = {
            '+': x + y,
            '-': x - y,
            '*': x * y,
            '/': x / y
        }
        switch(condition=inputs['op'], cases=operations)
        result = merge(*operations.values())

print(run(flow, expression='1 + 2'))
print(run(flow, expression='1 - 2'))
print(run(flow, expression='1 * 2'))
print(run(flow, expression='1 / 2'))
state = flow.run(expression='3 / 0')
print(type(state).__name__, type(state.result[operations['/']]).__name__,
      type(state.result[result]).__name__)
