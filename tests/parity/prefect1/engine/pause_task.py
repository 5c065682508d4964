"""pause_task() leaves a task Paused; run again from a Resume state, it finishes.

Exercises prefect.utilities.tasks.pause_task (docs-v1: api/latest/utilities/tasks).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

from prefect import Flow, task
from prefect.engine.flow_runner import FlowRunner
from prefect.engine.state import Resume
from prefect.utilities.tasks import pause_task


@task
def add(x, y):
    if x == y:
        pause_task("waiting for approval")
    return x + y


with Flow("pause") as flow:
    res = add(4, 4)
    other = add(1, 2)

state = FlowRunner(flow=flow).run(return_tasks=flow.tasks)
print(type(state).__name__, type(state.result[res]).__name__, state.result[res].message, state.result[other].result)
state = flow.run(task_states={res: Resume()})
print(type(state).__name__, type(state.result[res]).__name__, state.result[res].result)
