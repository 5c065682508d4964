"""The default Prefect log level is INFO: a task logger's debug records are dropped, the others kept.

Exercises the task logger's levels (docs-v1: core/concepts/logging).
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
def noisy():
    logger = prefect.context.get("logger")
    logger.debug("debug detail")
    logger.info("info line")
    logger.error("error line")
    logger.critical("critical line")


with Flow("levels") as flow:
    noisy()

flow.run()
print([m for m in collector.messages if m[1].endswith(("detail", "line"))])
