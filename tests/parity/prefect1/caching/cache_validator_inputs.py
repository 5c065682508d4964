"""cache_validator=all_inputs reuses a cached result only when the inputs are the same.

Exercises prefect.engine.cache_validators.all_inputs (docs-v1: core/concepts/persistence#output-caching).
"""
import datetime
import logging
import sys

from prefect import Flow, Parameter, task
from prefect.engine.cache_validators import all_inputs

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

calls = []


@task(cache_for=datetime.timedelta(hours=1), cache_validator=all_inputs)
def expensive(x):
    calls.append(x)
    return x * 2


with Flow("validated") as flow:
    x = Parameter("x")
    e = expensive(x)

for value in (1, 1, 2, 1):
    state = flow.run(x=value)
    print(value, type(state.result[e]).__name__, state.result[e].result)
print(calls)
