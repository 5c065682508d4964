"""any_failed and any_successful triggers with one failing and one succeeding upstream task.

Exercises prefect.triggers.any_failed and any_successful (docs-v1: api/latest/triggers).
"""
import logging
import sys

from prefect import Flow, task
from prefect.triggers import any_failed, any_successful, all_successful

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def good():
    return "good"


@task
def bad():
    raise ValueError("bad")


@task(trigger=any_failed)
def alert():
    return "alert"


@task(trigger=any_successful)
def partial():
    return "partial"


@task(trigger=all_successful)
def strict():
    return "strict"


@task(trigger=any_failed)
def no_alert():
    return "no alert"


with Flow("any") as flow:
    g = good()
    b = bad()
    a = alert(upstream_tasks=[g, b])
    p = partial(upstream_tasks=[g, b])
    s = strict(upstream_tasks=[g, b])
    n = no_alert(upstream_tasks=[g])

state = flow.run()
for ref in (a, p, s, n):
    print(ref.name, type(state.result[ref]).__name__, state.result[ref].result if state.result[ref].is_successful() else "-")
