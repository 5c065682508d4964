"""In mapped children, context carries the parameters, the map_index and a task_full_name with the index.

Exercises prefect.context inside mapped tasks (docs-v1: core/concepts/mapping).
"""
import logging
import sys

import prefect
from prefect import Flow, Parameter, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task(name="child")
def child(x):
    ctx = prefect.context
    return f"{ctx.get('task_full_name')} {ctx.get('map_index')} {dict(ctx.get('parameters'))} {x}"


with Flow("mapped-ctx") as flow:
    items = Parameter("items", default=["a", "b"])
    out = child.map(items)

state = flow.run()
for line in state.result[out].result:
    print(line)
