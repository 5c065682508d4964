"""Inside a task, prefect.context holds the flow name, task name, parameters and run counters.

Exercises prefect.context during flow.run() (docs-v1: core/concepts/execution#context).
"""
import logging
import sys

import prefect
from prefect import Flow, Parameter, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task(name="inspector")
def inspect(x):
    ctx = prefect.context
    return {
        "flow_name": ctx.get("flow_name"),
        "task_name": ctx.get("task_name"),
        "parameters": dict(ctx.get("parameters")),
        "task_run_count": ctx.get("task_run_count"),
        "map_index": ctx.get("map_index"),
        "has_logger": ctx.get("logger") is not None,
        "x": x,
    }


with Flow("ctx-flow") as flow:
    p = Parameter("p", default="dflt")
    i = inspect(p)

state = flow.run(p="given")
for key, value in sorted(state.result[i].result.items()):
    print(key, value)
