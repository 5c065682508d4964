"""A mapped task inside a case block runs only when the case matches.

Exercises case with Task.map (docs-v1: core/idioms/conditional).
"""
import logging
import sys

from prefect import Flow, Parameter, case, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def want(mode):
    return mode


@task
def triple(x):
    return 3 * x


with Flow("case-map") as flow:
    mode = Parameter("mode", default="go")
    with case(want(mode), "go"):
        t = triple.map([1, 2, 3])

state = flow.run()
print(type(state.result[t]).__name__, state.result[t].result)
state = flow.run(mode="stop")
print(type(state.result[t]).__name__, state.result[t].result, type(state).__name__)
