"""DateTimeParameter parses an ISO string into a datetime; a plain Parameter keeps the string.

Exercises prefect.core.parameter.DateTimeParameter (docs-v1: api/latest/core/parameter).
"""
import logging
import sys

from prefect import Flow, Parameter, task
from prefect.core.parameter import DateTimeParameter

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def describe(when, raw):
    return f"{when.year}-{when.month:02d}-{when.day:02d} {when.hour}h {type(raw).__name__} {raw}"


with Flow("dates") as flow:
    when = DateTimeParameter("when")
    raw = Parameter("raw", default="2022-06-03")
    d = describe(when, raw)

state = flow.run(when="2022-06-03T20:26:27+08:00")
print(state.result[d].result)
print(when.required, type(when).__name__)
