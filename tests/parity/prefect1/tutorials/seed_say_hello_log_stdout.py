"""Seed 000 (Prefect 1 blog), first program: say_hello(name) with log_stdout=True inside
Flow("My First Flow") with a Parameter, run for "world" and "Marvin"; the printed greeting
becomes a log record, which a handler of ours collects.

Exercises @task(log_stdout=True), Parameter without default, flow.run(name=...).
"""
import logging
import sys

from prefect import task, Flow, Parameter

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

greetings = []


class Collect(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("Hello"):
            greetings.append(record.getMessage())


logging.getLogger("prefect").addHandler(Collect())


@task(log_stdout=True)
def say_hello(name):
    print("Hello, {}!".format(name))


with Flow("My First Flow") as flow:
    name = Parameter('name')
    say_hello(name)


state = flow.run(name='world')  # "Hello, world!"
print(type(state).__name__, greetings)
state = flow.run(name='Marvin')  # "Hello, Marvin!"
print(type(state).__name__, greetings)
print("parameters:", [p.name for p in flow.parameters()], "required:", [p.required for p in flow.parameters()])
try:
    flow.run()
except ValueError as exc:
    print("without name:", type(exc).__name__, exc)
