"""@task(log_stdout=True) turns print() inside the task into log records instead of stdout output.

Exercises Task(log_stdout=True) (docs-v1: core/concepts/logging#logging-stdout).
"""
import logging
import sys

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
        self.messages.append(record.getMessage())


collector = Collect()
logging.getLogger("prefect").addHandler(collector)


@task(log_stdout=True)
def chatty(name):
    print(f"Hello, {name}!")


@task
def quiet(name):
    print(f"plain print for {name}")


with Flow("stdout") as flow:
    chatty("world")
    quiet("world")

flow.run()
print([m for m in collector.messages if "Hello" in m or "plain" in m])
