"""is_valid_identifier tells which edge keys can be keyword arguments; Edge keeps its key.

Exercises prefect.core.edge (docs-v1: api/latest/core/edge).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

from prefect import task
from prefect.core.edge import Edge, is_valid_identifier

for text in ["rows", "hi5", "5hi", "from", "hi.5", "_private", ""]:
    print(repr(text), is_valid_identifier(text))


@task
def a():
    return 1


@task
def b(x):
    return x


edge = Edge(a, b, key="x")
print(edge.key, edge.upstream_task is a, edge.downstream_task is b, edge.mapped)
print(prefect.core.edge.Edge is Edge)
