"""Prefect 1 advanced tutorial "task guide", map/reduce: add_one mapped over [1, 2, 3, 4] and a
sum task logging through prefect.context["logger"], built with the imperative API
(set_dependencies(mapped=True)) and with the functional API.

Exercises Flow.set_dependencies(..., mapped=True), Task.map(x=...), context logger in a task.
"""
import logging
import sys

import prefect
from prefect import task, Flow

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

logged = []


class Collect(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("The sum is"):
            logged.append((record.name, record.getMessage()))


logging.getLogger("prefect").addHandler(Collect())


@task
def add_one(x):
    """Operates one number at a time"""
    return x + 1


@task(name="sum")
def sum_numbers(y):
    """Operates on an iterable of numbers"""
    result = sum(y)
    logger = prefect.context["logger"]
    logger.info("The sum is {}".format(result))
    return result


## Imperative API
flow = Flow("Map Reduce")
flow.set_dependencies(add_one, keyword_tasks={"x": [1, 2, 3, 4]}, mapped=True)
flow.set_dependencies(sum_numbers, keyword_tasks={"y": add_one})
state = flow.run()
print("imperative:", state.result[add_one].result, state.result[sum_numbers].result)

## Functional API
with Flow("Map Reduce") as flow:
    mapped_result = add_one.map(x=[1, 2, 3, 4])
    summed_result = sum_numbers(mapped_result)
state = flow.run()
print("functional:", state.result[mapped_result].result, state.result[summed_result].result)
print(logged)
