"""with prefect.context(x=1) sets values for the block; flow.run(context=...) passes them to tasks.

Exercises prefect.context as a context manager and flow.run(context=) (docs-v1: api/latest/utilities/context).
"""
import logging
import sys

import prefect
from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

print(prefect.context.get("answer"))
with prefect.context(answer=42, other="x"):
    print(prefect.context.get("answer"), prefect.context.other)
    with prefect.context(answer=43):
        print(prefect.context.answer)
    print(prefect.context.answer)
print(prefect.context.get("answer", "gone"))


@task
def read_context():
    return prefect.context.get("answer"), prefect.context.get("user_value")


with Flow("ctx") as flow:
    r = read_context()

state = flow.run(context={"user_value": "from run"})
print(state.result[r].result)
with prefect.context(answer=7):
    state = flow.run()
print(state.result[r].result)
