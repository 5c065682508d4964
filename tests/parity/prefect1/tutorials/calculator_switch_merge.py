"""Prefect 1 advanced tutorial "calculator", arithmetic: four operator tasks, switch on the 'op'
Parameter, merge of the branches; only the chosen branch runs, the others are Skipped.

Exercises prefect.tasks.control_flow.switch and merge, operators - * /, Skipped states.
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


# note: this will raise some warnings, but they're ok for this use case!
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with Flow('Arithmetic') as flow:
        x, y = Parameter('x'), Parameter('y')
        operations = {
            '+': x + y,
            '-': x - y,
            '*': x * y,
            '/': x / y
        }
        switch(condition=Parameter('op'), cases=operations)
        result = merge(*operations.values())

print(run(flow, x=1, op='+', y=2))
print(run(flow, x=1, op='-', y=2))
print(run(flow, x=1, op='*', y=2))
print(run(flow, x=1, op='/', y=2))
state = flow.run(x=6, op='*', y=7)
print({op: type(state.result[t]).__name__ for op, t in operations.items()})
print(type(state).__name__, state.result[result].result)
