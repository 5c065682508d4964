"""defaults_from_attrs fills run() arguments left as None from attributes set in __init__.

Exercises prefect.utilities.tasks.defaults_from_attrs (docs-v1: api/latest/utilities/tasks).
"""
import logging
import sys

from prefect import Flow, Task
from prefect.utilities.tasks import defaults_from_attrs

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


class Greet(Task):
    def __init__(self, greeting="Hello", punctuation="!", **kwargs):
        self.greeting = greeting
        self.punctuation = punctuation
        super().__init__(**kwargs)

    @defaults_from_attrs("greeting", "punctuation")
    def run(self, name, greeting=None, punctuation=None):
        return f"{greeting}, {name}{punctuation}"


greet = Greet(greeting="Howdy")
with Flow("greetings") as flow:
    a = greet("Ann")
    b = greet("Bob", greeting="Hi")
    c = greet("Cy", punctuation="?")

state = flow.run()
for ref in (a, b, c):
    print(state.result[ref].result)
