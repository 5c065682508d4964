"""The cleanup of a resource_manager runs even when a task inside its block fails.

Exercises resource_manager cleanup after failures (docs-v1: core/idioms/resource-manager).
"""
import logging
import sys

from prefect import Flow, resource_manager, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

events = []


@resource_manager
class TempArea:
    def setup(self):
        events.append("setup")
        return "area"

    def cleanup(self, area):
        events.append(f"cleanup {area}")


@task
def use(area):
    events.append(f"use {area}")
    raise RuntimeError("failed inside the block")


with Flow("cleanup") as flow:
    with TempArea() as area:
        u = use(area)

state = flow.run()
print(events)
print(type(state.result[u]).__name__, type(state).__name__)
