"""A ShellTask whose command exits non-zero ends Failed; the flow fails.

Exercises ShellTask failure handling (docs-v1: api/latest/tasks/shell).
"""
import logging
import sys

from prefect import Flow
from prefect.tasks.shell import ShellTask

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

shell = ShellTask(name="sh")
with Flow("shell-fail") as flow:
    bad = shell(command="echo before; exit 3")
    good = shell(command="echo fine")

state = flow.run()
print(type(state.result[bad]).__name__, type(state.result[good]).__name__, state.result[good].result)
print(type(state).__name__)
