"""The first program of the Prefect 1 blog post (seed 000): a Parameter and a task with log_stdout.

Exercises Flow, Parameter, @task(log_stdout=True), flow.run(**params) (docs-v1: core/getting_started).
"""
import logging
import sys

from prefect import task, Flow, Parameter

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task(log_stdout=True)
def say_hello(name):
    print("Hello, {}!".format(name))


with Flow("My First Flow") as flow:
    name = Parameter('name')
    say_hello(name)


state = flow.run(name='world') # "Hello, world!"
print(type(state).__name__)
state = flow.run(name='Marvin') # "Hello, Marvin!"
print(type(state).__name__)
