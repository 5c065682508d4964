"""Operators on tasks and Parameters build new tasks: +, -, *, //, %, comparison and indexing.

Exercises Task operator overloads and GetItem (docs-v1: api/latest/core/task#task-operators).
"""
import logging
import sys

from prefect import Flow, Parameter, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def numbers():
    return {"a": 7, "b": [10, 20, 30]}


with Flow("ops") as flow:
    n = Parameter("n", default=5)
    data = numbers()
    a = data["a"]
    second = data["b"][1]
    total = n + a
    diff = a - n
    prod = n * 3
    floor = a // 2
    mod = a % n
    bigger = a > n
    label = n + 100

state = flow.run()
for name, ref in [("a", a), ("second", second), ("total", total), ("diff", diff), ("prod", prod),
                  ("floor", floor), ("mod", mod), ("bigger", bigger), ("label", label)]:
    print(name, state.result[ref].result)
state = flow.run(n=10)
print(state.result[total].result, state.result[bigger].result)
