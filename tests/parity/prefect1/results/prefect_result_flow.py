"""PrefectResult stores a JSON-able value in its location string; tasks keep their results.

Exercises prefect.engine.results.PrefectResult as a task result (docs-v1: core/concepts/results).
"""
import logging
import os
import sys

# Checkpointing is off for local runs unless configured before prefect is imported.
os.environ["PREFECT__FLOWS__CHECKPOINTING"] = "true"

from prefect import Flow, task
from prefect.engine.results import PrefectResult

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task(result=PrefectResult(), checkpoint=True)
def make():
    return {"answer": 42}


with Flow("prefect-result", result=PrefectResult()) as flow:
    m = make()

state = flow.run()
st = state.result[m]
print(st.result, type(st._result).__name__, st._result.location)
