"""log_prints=True turns print() inside a flow into log records; stdout still gets the text.

Exercises @flow(log_prints=True) with a handler of our own on the "prefect" loggers
(Prefect docs: logging, "Log print statements")."""
import logging

from prefect import flow, task

messages = []


class Collect(logging.Handler):
    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("hello") or msg.startswith("from task"):
            messages.append(msg)


logging.getLogger("prefect").addHandler(Collect())


@task
def inner():
    print("from task")


@flow(log_prints=True)
def chatty():
    print("hello from the flow")
    inner()


chatty()
print(sorted(messages))
