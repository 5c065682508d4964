"""Prefect 1 example "conditional tasks": case(cond, True/False) branches merged with merge() and
passed to a task with log_stdout; the condition, random in the example, is seeded here.

Exercises prefect.case, prefect.tasks.control_flow.merge, Skipped branch states, log_stdout.
"""
import logging
import sys
from random import random, seed

from prefect import task, Flow, case
from prefect.tasks.control_flow import merge

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

logged = []


class Collect(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("I am"):  # what the tasks print (log_stdout)
            logged.append(record.getMessage())


logging.getLogger("prefect").addHandler(Collect())


@task
def check_condition():
    return random() < 0.5


@task
def action_if_true():
    return "I am true!"


@task
def action_if_false():
    return "I am false!"


@task(log_stdout=True)
def another_action(val):
    print(val)


with Flow("Example: Conditional Tasks") as flow:
    cond = check_condition()

    with case(cond, True):
        val_if_true = action_if_true()

    with case(cond, False):
        val_if_false = action_if_false()

    val = merge(val_if_true, val_if_false)

    another_action(val)


if __name__ == "__main__":
    seed(7)
    for _ in range(3):
        state = flow.run()
        print(state.result[cond].result, type(state.result[val_if_true]).__name__,
              type(state.result[val_if_false]).__name__, state.result[val].result)
    print("logged:", logged)
