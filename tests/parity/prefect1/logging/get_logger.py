"""prefect.utilities.logging.get_logger returns loggers under "prefect", usable outside of tasks too.

Exercises prefect.utilities.logging.get_logger (docs-v1: core/concepts/logging#extra-loggers).
"""
import logging
import sys

from prefect import Flow, task
from prefect.utilities.logging import get_logger

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append((record.name, record.levelname, record.getMessage()))


collector = Collect()
logging.getLogger("prefect").addHandler(collector)

root = get_logger()
child = get_logger("my_module")
print(root.name, child.name)
child.info("outside of a flow")


@task
def inside():
    get_logger("in_task").error("inside a task")


with Flow("get-logger") as flow:
    inside()

flow.run()
for name, level, message in collector.records:
    if message in ("outside of a flow", "inside a task"):
        print(name, level, message)
