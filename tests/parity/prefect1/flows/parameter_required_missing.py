"""Running a flow without a value for a required Parameter raises ValueError.

Exercises Parameter(required=True) and flow.run() validation (docs-v1: core/concepts/parameters).
"""
import logging
import sys

from prefect import Flow, Parameter, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def shout(word):
    return word.upper()


with Flow("shouter") as flow:
    word = Parameter("word")
    shout(word)

print(word.required)
try:
    flow.run()
except ValueError as exc:
    print("ValueError")
    print("word" in str(exc))
state = flow.run(word="quiet")
print(type(state).__name__, state.result[flow.get_tasks(name="shout")[0]].result)
