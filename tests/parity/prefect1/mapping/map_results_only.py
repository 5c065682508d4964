"""A mapped task over a task's list result and a reduce step, read back as plain values.

Exercises Task.map over an upstream result and reduce (docs-v1: core/concepts/mapping).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def words():
    return ["prefect", "one", "flows"]


@task
def length(word):
    return len(word)


@task
def longest(lengths):
    return max(lengths)


with Flow("lengths") as flow:
    w = words()
    lengths = length.map(w)
    top = longest(lengths)

state = flow.run()
print(state.result[lengths].result, state.result[top].result, state.is_successful())
