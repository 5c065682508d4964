"""Prefect 1 advanced tutorial "task guide", testing tasks: a Task subclass with run(), the
@task form, calling .run() directly, a TaskRunner on its own, and a TaskRunner given a Failed
upstream state through an Edge (TriggerFailed, result an exception).

Exercises prefect.Task subclassing, Task.run, prefect.engine.TaskRunner, prefect.core.Edge.
"""
import logging
import sys

from prefect import Task, task
from prefect.core import Edge
from prefect.engine import TaskRunner
from prefect.engine.state import Failed

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


class AddTask(Task):
    def run(self, x, y):
        return x + y


add_task = AddTask(name="Add")
print(add_task.name, add_task.run(1, 2), add_task.run(x=5, y=-10), add_task.run(x=[1, 2], y=[3, 4]))


@task(name="Add")
def add_fn(x, y):
    return x + y


print(add_fn.name, add_fn.run(x=2, y=3))


@task
def number_task():
    return 42


runner = TaskRunner(task=number_task)
state = runner.run()
print(state.is_successful(), state.result)

# the base Task class provides a useful stand-in for a no-op Task
upstream_edge = Edge(Task(), number_task)
upstream_state = Failed(message="Failed for some reason")

state = runner.run(upstream_states={upstream_edge: upstream_state})
print(type(state).__name__, state.is_failed(), isinstance(state.result, Exception))
