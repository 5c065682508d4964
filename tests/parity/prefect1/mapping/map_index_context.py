"""prefect.context.map_index tells each mapped child which element it is.

Exercises prefect.context map_index during mapping (docs-v1: api/latest/utilities/context).
"""
import logging
import sys

import prefect
from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def where(x):
    return (prefect.context.get("map_index"), x)


@task
def plain():
    return prefect.context.get("map_index")


with Flow("index") as flow:
    w = where.map(["a", "b", "c"])
    p = plain()

state = flow.run()
print(state.result[w].result)
print(state.result[p].result)
