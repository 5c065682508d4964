"""A task state handler that raises makes the task fail; the flow run fails with it.

Exercises error handling around Task(state_handlers=) (docs-v1: core/concepts/notifications).
"""
import logging
import sys

from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


def strict(task, old_state, new_state):
    if new_state.is_successful():
        raise RuntimeError("handler refuses success")
    return new_state


@task(state_handlers=[strict])
def fine():
    return 1


with Flow("handler-raises") as flow:
    f = fine()

state = flow.run()
print(type(state.result[f]).__name__, type(state).__name__)
