"""Messages logged with prefect.context.get("logger") inside tasks reach the "prefect" logger.

Exercises the task logger from prefect.context (docs-v1: core/concepts/logging).
"""
import logging
import sys

import prefect
from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append((record.levelname, record.getMessage()))


collector = Collect()
logging.getLogger("prefect").addHandler(collector)


@task
def work(x):
    logger = prefect.context.get("logger")
    logger.info("working on %s", x)
    logger.warning("careful with %s", x)
    return x


with Flow("logs") as flow:
    work(1)

flow.run()
for level, message in collector.messages:
    if "careful" in message or "working" in message:
        print(level, message)
