"""A flow's tasks and edges after building it in a `with Flow` block.

Exercises Flow.tasks, Flow.edges and Edge.key (docs-v1: core/concepts/flows).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def extract():
    return [1, 2, 3]


@task
def transform(data):
    return [x * 10 for x in data]


@task
def load(data, label):
    print(label, data)


with Flow("etl") as flow:
    raw = extract()
    clean = transform(raw)
    load(clean, label="loaded")

print(len(flow.tasks), len(flow.edges))
print(sorted(t.name for t in flow.tasks))
print(sorted((e.upstream_task.name, e.downstream_task.name, str(e.key)) for e in flow.edges))
print(sorted(t.name for t in flow.root_tasks()), sorted(t.name for t in flow.terminal_tasks()))
state = flow.run()
print(type(state).__name__)
