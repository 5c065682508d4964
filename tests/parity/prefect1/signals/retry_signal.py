"""Raising signals.RETRY asks for another attempt even for an error that would not be retried.

Exercises prefect.engine.signals.RETRY with max_retries (docs-v1: api/latest/engine/signals).
"""
import datetime
import logging
import sys

import prefect
from prefect import Flow, task
from prefect.engine.signals import RETRY

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

attempts = []


@task(max_retries=2, retry_delay=datetime.timedelta(milliseconds=10))
def flaky():
    attempts.append(prefect.context.get("task_run_count"))
    if len(attempts) < 3:
        raise RETRY("not yet")
    return "third time lucky"


with Flow("retry-signal") as flow:
    f = flaky()

state = flow.run()
print(attempts)
print(type(state.result[f]).__name__, state.result[f].result)
