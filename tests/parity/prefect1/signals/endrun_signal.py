"""ENDRUN stops a task with a state chosen by the task itself.

Exercises prefect.engine.signals.ENDRUN (docs-v1: api/latest/engine/signals).
"""
import logging
import sys

from prefect import Flow, task
from prefect.engine.signals import ENDRUN
from prefect.engine.state import Skipped, Success

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def decide(x):
    if x:
        raise ENDRUN(Success(message="ended as success", result="chosen"))
    raise ENDRUN(Skipped(message="ended as skipped"))


with Flow("endrun") as flow:
    a = decide(True)
    b = decide(False)

state = flow.run()
for ref in (a, b):
    st = state.result[ref]
    print(type(st).__name__, st.message, st.result)
print(type(state).__name__)
