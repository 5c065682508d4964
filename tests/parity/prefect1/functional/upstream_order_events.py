"""upstream_tasks= orders side-effect tasks that pass no data; a diamond of data edges runs the join last.

Exercises Task.__call__(upstream_tasks=) ordering under the default executor (docs-v1: core/concepts/flows).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

events = []


@task
def create_table():
    events.append("create")


@task
def insert(row):
    events.append(f"insert {row}")
    return row


@task
def report(a, b):
    events.append("report")
    return a + b


with Flow("ordered") as flow:
    created = create_table()
    first = insert(1, upstream_tasks=[created])
    second = insert(2, upstream_tasks=[created])
    result = report(first, second)

state = flow.run()
print(events[0], sorted(events[1:3]), events[3])
print(state.result[result].result, state.is_successful())
