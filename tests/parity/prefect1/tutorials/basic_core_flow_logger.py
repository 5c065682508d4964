"""Prefect 1 getting started, "basic core flow": hello_task logs through the logger taken from
prefect.context, run in Flow("hello-flow"); a handler of ours collects the record.

Exercises import prefect; prefect.context.get("logger") inside a task, the logger's name.
"""
import logging
import sys

import prefect
from prefect import task, Flow

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

records = []


class Collect(logging.Handler):
    def emit(self, record):
        if record.getMessage() == "Hello world!":
            records.append((record.name, record.levelname, record.getMessage()))


logging.getLogger("prefect").addHandler(Collect())


@task
def hello_task():
    logger = prefect.context.get("logger")
    logger.info("Hello world!")


with Flow("hello-flow") as flow:
    hello_task()

state = flow.run()
print(type(state).__name__, state.is_successful())
print(records)
print("logger outside a run:", prefect.context.get("logger") is None)
