"""Calling a Task object in a flow copies it; Task.copy() accepts new options.

Exercises Task.copy and Task.__call__ copy semantics (docs-v1: core/concepts/tasks).
"""
import logging
import sys

from prefect import Flow, Task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


class Echo(Task):
    def run(self, value):
        return value


echo = Echo(name="echo")
loud = echo.copy(name="loud", tags=["noise"])
print(loud.name, sorted(loud.tags), echo.name, sorted(echo.tags))
with Flow("copies") as flow:
    a = echo("a")
    b = loud("b")

print(echo in flow.tasks, a in flow.tasks, loud in flow.tasks, b in flow.tasks)
state = flow.run()
print(state.result[a].result, state.result[b].result)
