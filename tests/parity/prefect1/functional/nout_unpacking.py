"""@task(nout=2) lets a task's tuple result be unpacked into two results inside the flow.

Exercises Task(nout=) (docs-v1: api/latest/core/task).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task(nout=2)
def split(word):
    half = len(word) // 2
    return word[:half], word[half:]


@task
def shout(part):
    return part.upper()


with Flow("nout") as flow:
    first, second = split("headwater")
    a = shout(first)
    b = shout(second)

state = flow.run()
print(state.result[a].result, state.result[b].result)
print(len(flow.tasks))
