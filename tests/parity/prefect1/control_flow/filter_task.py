"""FilterTask keeps the mapped results that pass its test; by default it drops None and failures.

Exercises prefect.tasks.control_flow.FilterTask (docs-v1: api/latest/tasks/control_flow).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

from prefect import Flow, task
from prefect.tasks.control_flow import FilterTask
from prefect.tasks.control_flow.filter import FilterTask as SameFilterTask

messages = []


class Collect(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("Even"):
            messages.append(record.getMessage())


logging.getLogger("prefect").addHandler(Collect())

default_filter = FilterTask()
even_filter = FilterTask(filter_func=lambda x: x % 2 == 0,
                         log_func=lambda kept: "Even numbers: " + ", ".join(map(str, kept)))


@task
def add(x):
    return x + 1


@task
def invert(x):
    return 1 / x


with Flow("filter-numbers") as flow:
    evens = even_filter(add.map(x=[-1, 0, 1, 2, 3, 99, 314]))
    inverted = invert.map(evens)
    final = default_filter(inverted)

state = flow.run()
print(FilterTask is SameFilterTask, state.is_successful())
print(state.result[evens].result)
print(type(state.result[inverted]).__name__, [type(s).__name__ for s in state.result[inverted].map_states])
print(state.result[final].result)
print(messages)
