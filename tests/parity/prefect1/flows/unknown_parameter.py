"""flow.run() with a parameter the flow does not have is refused before anything runs.

Exercises flow.run(parameters=) validation (docs-v1: core/concepts/parameters).
"""
import logging
import sys

from prefect import Flow, Parameter, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

calls = []


@task
def record(x):
    calls.append(x)


with Flow("params") as flow:
    x = Parameter("x", default=1)
    record(x)

try:
    flow.run(parameters={"y": 2})
except ValueError as exc:
    print("ValueError", "y" in str(exc))
print(calls)
flow.run()
print(calls)
