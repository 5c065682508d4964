"""Values of a three-step chain read back from the returned state, by task reference, plus
is_successful() on the flow state. Exercises flow.run() and state.result[task].result (docs-v1: core/concepts/flows).
"""
import logging
import sys

from prefect import Flow, Parameter, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def load(n):
    return list(range(n))


@task
def clean(rows):
    return [r for r in rows if r % 2 == 0]


@task
def count(rows):
    return len(rows)


with Flow("chain") as flow:
    n = Parameter("n", default=6)
    rows = load(n)
    kept = clean(rows)
    total = count(kept)

for value in (6, 11):
    state = flow.run(n=value)
    print(state.is_successful(), state.result[rows].result, state.result[kept].result, state.result[total].result)
