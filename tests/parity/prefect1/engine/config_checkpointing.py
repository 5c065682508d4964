"""prefect.config reads like nested attributes; setting flows.checkpointing turns result writing on.

Exercises prefect.config (docs-v1: core/concepts/configuration, core/concepts/persistence).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

import os

from prefect import Flow, task
from prefect.engine.results import LocalResult

print(prefect.config.flows.checkpointing, prefect.config.flows.eager_edge_validation)
print(prefect.config.logging.level, prefect.config.engine.executor.default_class)


@task(checkpoint=True, result=LocalResult(dir="out", location="value.txt"))
def value():
    return 7


with Flow("checkpoints") as flow:
    value()

flow.run()
print(os.path.exists("out/value.txt"))
prefect.config.flows.checkpointing = True
flow.run()
print(os.path.exists("out/value.txt"))
try:
    prefect.config.no_such_section
except AttributeError:
    print("AttributeError")
