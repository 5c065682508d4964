"""partial_inputs_only(validate_on=[...]) compares only the named inputs; duration_only ignores inputs.

Exercises prefect.engine.cache_validators.partial_inputs_only and duration_only (docs-v1: core/concepts/persistence).
"""
import datetime
import logging
import sys

from prefect import Flow, Parameter, task
from prefect.engine.cache_validators import duration_only, partial_inputs_only

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

calls = []


@task(cache_for=datetime.timedelta(hours=1), cache_validator=partial_inputs_only(validate_on=["key"]))
def by_key(key, noise):
    calls.append(("by_key", key, noise))
    return f"{key}:{noise}"


@task(cache_for=datetime.timedelta(hours=1), cache_validator=duration_only)
def by_time(key):
    calls.append(("by_time", key))
    return key


with Flow("partial") as flow:
    key = Parameter("key")
    noise = Parameter("noise")
    k = by_key(key, noise)
    t = by_time(key)

for args in ({"key": 1, "noise": "x"}, {"key": 1, "noise": "y"}, {"key": 2, "noise": "y"}):
    state = flow.run(**args)
    print(state.result[k].result, type(state.result[k]).__name__, state.result[t].result)
print(sorted(calls, key=repr))
