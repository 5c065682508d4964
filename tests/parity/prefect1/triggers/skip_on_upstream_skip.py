"""skip_on_upstream_skip=False lets a task run even if its upstream was skipped.

Exercises Task(skip_on_upstream_skip=) with signals.SKIP (docs-v1: core/concepts/execution).
"""
import logging
import sys

from prefect import Flow, task
from prefect.engine.signals import SKIP

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def skipper():
    raise SKIP("nothing to do")


@task
def default_follow(x):
    return "default ran"


@task(skip_on_upstream_skip=False)
def eager_follow(x):
    return f"eager ran with {x}"


with Flow("skip") as flow:
    s = skipper()
    d = default_follow(s)
    e = eager_follow(s)

state = flow.run()
print(type(state.result[s]).__name__, state.result[s].message)
print(type(state.result[d]).__name__, state.result[d].result)
print(type(state.result[e]).__name__, state.result[e].result)
print(type(state).__name__)
