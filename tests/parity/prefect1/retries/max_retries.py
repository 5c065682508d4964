"""max_retries with a short retry_delay: the task runs again until it succeeds; run count in context.

Exercises Task(max_retries=, retry_delay=) and context.task_run_count (docs-v1: core/concepts/tasks#retries).
"""
import datetime
import logging
import sys

import prefect
from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

seen = []


@task(max_retries=3, retry_delay=datetime.timedelta(milliseconds=5))
def flaky():
    count = prefect.context.get("task_run_count")
    seen.append(count)
    if count < 3:
        raise ConnectionError(f"attempt {count} failed")
    return f"succeeded on attempt {count}"


with Flow("retries") as flow:
    f = flaky()

state = flow.run()
print(seen)
print(type(state.result[f]).__name__, state.result[f].result)
print(type(state).__name__)
