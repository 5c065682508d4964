"""Task.bind wires arguments inside a flow without calling (copying) the task.

Exercises Task.bind and Flow.set_dependencies (docs-v1: core/concepts/flows#imperative-api).
"""
import logging
import sys

from prefect import Flow, Task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


class Add(Task):
    def run(self, x, y):
        return x + y


class Square(Task):
    def run(self, x):
        return x * x


add = Add()
square = Square()
flow = Flow("bound")
with flow:
    result = add.bind(x=3, y=4)
    square.bind(x=add)
print(result is add)
other = Square(name="square_again")
flow.set_dependencies(task=other, keyword_tasks=dict(x=square))
state = flow.run()
print(state.result[add].result, state.result[square].result, state.result[other].result)
print(len(flow.tasks))
