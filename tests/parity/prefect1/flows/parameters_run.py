"""Parameters with and without defaults, passed with flow.run(parameters=...) and as keywords.

Exercises prefect.Parameter and flow.run(parameters=) (docs-v1: core/concepts/parameters).
"""
import logging
import sys

from prefect import Flow, Parameter, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def greet(greeting, name):
    return f"{greeting}, {name}!"


with Flow("greeter") as flow:
    name = Parameter("name")
    greeting = Parameter("greeting", default="Hello")
    message = greet(greeting, name)

print(sorted(p.name for p in flow.parameters()))
print(sorted((p.name, p.required, p.default) for p in flow.parameters()))
state = flow.run(parameters={"name": "Marvin"})
print(state.result[message].result)
state = flow.run(name="Arthur", greeting="Hi")
print(state.result[message].result)
print(state.result[name].result, state.result[greeting].result)
