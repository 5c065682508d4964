"""Mapping with upstream_tasks=[unmapped(...)] waits for a setup task; a bare upstream task is mapped
over too (and fails on None); mapping over an empty list completes.

Exercises Task.map(upstream_tasks=) (docs-v1: core/concepts/mapping).
"""
import logging
import sys

from prefect import Flow, task, unmapped

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

events = []


@task
def setup():
    events.append("setup")


@task
def work(x):
    events.append(f"work {x}")
    return x


with Flow("map-up") as flow:
    s = setup()
    w = work.map([1, 2], upstream_tasks=[unmapped(s)])
    bare = work.map([3, 4], upstream_tasks=[s])
    e = work.map([])

state = flow.run()
print(events[0], sorted(events[1:]))
print(state.result[w].result, state.result[e].result, type(state.result[e]).__name__)
print(type(state.result[bare]).__name__, state.result[bare].result)
print(type(state).__name__)
