"""State handlers observe retries: Failed attempts become Retrying and the task runs again.

Exercises state_handlers together with max_retries/retry_delay (docs-v1: core/concepts/states).
"""
import datetime
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

calls = {"n": 0}


def trace(task, old_state, new_state):
    print(f"{type(old_state).__name__} -> {type(new_state).__name__}")


@task(max_retries=1, retry_delay=datetime.timedelta(milliseconds=10), state_handlers=[trace])
def once_broken():
    calls["n"] += 1
    if calls["n"] == 1:
        raise IOError("first try fails")
    return "ok"


with Flow("retry-handlers") as flow:
    o = once_broken()

state = flow.run()
print(type(state.result[o]).__name__, state.result[o].result, calls["n"])
