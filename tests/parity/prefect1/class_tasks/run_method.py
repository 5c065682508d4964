"""A Task subclass with run(), instantiated and called in a flow with arguments.

Exercises prefect.Task subclassing (docs-v1: core/concepts/tasks#overview).
"""
import logging
import sys

from prefect import Flow, Task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


class Multiply(Task):
    def run(self, x, y=2):
        return x * y


mult = Multiply(name="multiply")
with Flow("class-task") as flow:
    a = mult(3)
    b = mult(a, y=10)

print(type(a).__name__, a.name, a is mult)
state = flow.run()
print(state.result[a].result, state.result[b].result)
print(type(state).__name__)
