"""trigger=all_failed runs a task only when every upstream failed; otherwise it ends TriggerFailed.

Exercises prefect.triggers.all_failed (docs-v1: core/concepts/execution#triggers).
"""
import logging
import sys

from prefect import Flow, Parameter, task
from prefect.triggers import all_failed

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def risky(fail):
    if fail:
        raise ValueError("failed on purpose")
    return "fine"


@task(trigger=all_failed)
def on_failure():
    return "handled failure"


with Flow("all-failed") as flow:
    fail = Parameter("fail", default=True)
    r = risky(fail)
    h = on_failure(upstream_tasks=[r])

state = flow.run()
print(type(state.result[r]).__name__, type(state.result[h]).__name__, state.result[h].result)
print(type(state).__name__)
state = flow.run(fail=False)
print(type(state.result[r]).__name__, type(state.result[h]).__name__)
print(type(state).__name__)
