"""Nested case blocks: the inner tasks run only when both conditions match; a Parameter as condition.

Exercises nested prefect.case (docs-v1: core/idioms/conditional).
"""
import logging
import sys

from prefect import Flow, Parameter, case, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def label(text):
    return text


with Flow("nested") as flow:
    a = Parameter("a", default=True)
    b = Parameter("b", default=True)
    with case(a, True):
        outer = label("outer")
        with case(b, True):
            inner = label("inner")

for args in ({}, {"b": False}, {"a": False}):
    state = flow.run(**args)
    print(sorted(args.items()), [type(state.result[t]).__name__ for t in (outer, inner)])
