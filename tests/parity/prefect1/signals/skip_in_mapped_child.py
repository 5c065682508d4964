"""SKIP raised in some mapped children: those children are Skipped, and the reduce task downstream is
skipped too (skip_on_upstream_skip); the flow succeeds. Exercises SKIP with mapping (docs-v1: core/concepts/mapping).
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
def keep_even(x):
    if x % 2:
        raise SKIP(f"{x} is odd")
    return x


@task
def collect(xs):
    return xs


with Flow("skip-map") as flow:
    k = keep_even.map([1, 2, 3, 4])
    c = collect(k)

state = flow.run()
print([type(s).__name__ for s in state.result[k].map_states])
print(type(state.result[c]).__name__, state.result[c].result)
print(type(state).__name__)
