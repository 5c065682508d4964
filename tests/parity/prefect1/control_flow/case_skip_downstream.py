"""Tasks downstream of a skipped case branch are skipped too (skip_on_upstream_skip).

Exercises case + skip propagation (docs-v1: core/idioms/conditional).
"""
import logging
import sys

from prefect import Flow, case, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def flag():
    return False


@task
def inside():
    return "inside"


@task
def after(x):
    return f"after {x}"


@task
def unrelated():
    return "unrelated"


with Flow("skips") as flow:
    with case(flag(), True):
        i = inside()
    a = after(i)
    u = unrelated()

state = flow.run()
for ref in (i, a, u):
    st = state.result[ref]
    print(ref.name, type(st).__name__, st.is_skipped(), st.is_successful(), st.result)
print(type(state).__name__)
