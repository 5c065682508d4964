"""LocalExecutor (the default) runs tasks one at a time in dependency order; independent branches do not overlap.

Exercises prefect.executors.LocalExecutor (docs-v1: core/concepts/engine#executors).
"""
import logging
import sys
import threading

from prefect import Flow, task
from prefect.executors import LocalExecutor

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

events = []
running = {"now": 0, "max": 0}
lock = threading.Lock()


@task
def step(name, deps=()):
    with lock:
        running["now"] += 1
        running["max"] = max(running["max"], running["now"])
    events.append(name)
    with lock:
        running["now"] -= 1
    return name


with Flow("local") as flow:
    a = step("a")
    b = step("b", [a])
    c = step("c", [a])
    d = step("d", [b, c])

state = flow.run(executor=LocalExecutor())
print(events[0], sorted(events[1:3]), events[3])
print(running["max"], type(state).__name__, state.result[d].result)
print(type(flow.executor).__name__ if flow.executor else None)
