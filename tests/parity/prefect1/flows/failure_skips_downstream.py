"""A failing task stops its downstream tasks but not an independent branch; the flow is failed and
flow.run() does not raise. Exercises failure handling with predicates only (docs-v1: core/concepts/states).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

ran = []


@task
def broken():
    raise KeyError("missing")


@task
def after(x):
    ran.append("after")


@task
def other():
    ran.append("other")
    return "ok"


with Flow("partial") as flow:
    b = broken()
    a = after(b)
    o = other()

state = flow.run()
print(ran)
print(state.is_failed(), state.is_successful(), state.result[b].is_failed(), state.result[a].is_failed(),
      state.result[o].is_successful(), state.result[o].result)
print(type(state.result[b].result).__name__)
