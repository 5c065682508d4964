"""A class-based Task mapped over a list, with a constructor option used by run(), and called directly.

Exercises Task subclass .map and Task.run (docs-v1: core/concepts/tasks).
"""
import logging
import sys

from prefect import Flow, Task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


class Scale(Task):
    def __init__(self, factor=1, **kwargs):
        self.factor = factor
        super().__init__(**kwargs)

    def run(self, x):
        return x * self.factor


triple = Scale(factor=3, name="triple")
print(triple.run(5))
with Flow("class-map") as flow:
    out = triple.map([1, 2, 3])

state = flow.run()
print(type(state.result[out]).__name__, state.result[out].result)
print(out.name, triple.factor)
