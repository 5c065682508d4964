"""max_retries without retry_delay is refused when the task is defined.

Exercises Task validation of max_retries/retry_delay (docs-v1: api/latest/core/task).
"""
import datetime
import logging
import sys

from prefect import task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

try:
    @task(max_retries=2)
    def no_delay():
        return 1
except ValueError as exc:
    print("ValueError", "retry_delay" in str(exc))


@task(max_retries=2, retry_delay=datetime.timedelta(seconds=2))
def with_delay():
    return 1


print(with_delay.max_retries, with_delay.retry_delay.total_seconds())
