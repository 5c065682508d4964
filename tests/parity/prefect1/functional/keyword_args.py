"""Tasks called with positional and keyword arguments, and with plain constants mixed in.

Exercises the functional API of Prefect 1 (docs-v1: core/concepts/flows#functional-api).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def describe(name, age=0, city="nowhere"):
    return f"{name} ({age}) from {city}"


with Flow("kwargs") as flow:
    one = describe("Ann")
    two = describe("Bob", city="Leeds")
    three = describe(name="Cy", age=3)

state = flow.run()
for ref in (one, two, three):
    print(state.result[ref].result)
