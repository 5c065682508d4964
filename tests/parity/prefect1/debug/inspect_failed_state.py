"""A Failed task state keeps the exception as its result, for debugging after flow.run().

Exercises State.result / State.message of failed tasks (docs-v1: core/advanced_tutorials/local-debugging).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


class CustomError(Exception):
    pass


@task
def fails():
    raise CustomError("custom failure")


with Flow("inspect") as flow:
    f = fails()

state = flow.run()
failed = state.result[f]
print(type(failed).__name__, failed.is_failed(), type(failed.result).__name__, failed.result)
print(failed.message)
print(isinstance(failed.result, CustomError))
