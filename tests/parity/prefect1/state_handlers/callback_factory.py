"""callback_factory makes a state handler that calls back only when its check passes.

Exercises prefect.utilities.notifications.callback_factory (docs-v1: api/latest/utilities/notifications).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

from prefect import Flow, task
from prefect.utilities.notifications import callback_factory

seen = []
on_success = callback_factory(lambda obj, state: seen.append((obj.name, type(state).__name__)),
                              lambda state: state.is_successful())
on_failure = callback_factory(lambda obj, state: seen.append(("failed", obj.name, state.message)),
                              lambda state: state.is_failed())


@task(state_handlers=[on_success, on_failure])
def good():
    return 1


@task(state_handlers=[on_success, on_failure])
def bad():
    raise ValueError("boom")


with Flow("callbacks", state_handlers=[on_success, on_failure]) as flow:
    good()
    bad()

state = flow.run()
print(type(state).__name__)
for entry in seen:
    print(entry)
handler = callback_factory(lambda obj, state: None, lambda state: "yes")
print(handler(None, None, "unchanged"))
