"""with prefect.tags(...) adds tags to every task created or called inside the block.

Exercises prefect.tags (docs-v1: api/latest/utilities/tasks#tags).
"""
import logging
import sys

from prefect import Flow, tags, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task(tags=["own"])
def work():
    return 1


with tags("outer"):
    @task
    def tagged_at_definition():
        return 2

with Flow("tags") as flow:
    with tags("db", "nightly"):
        w = work()
    plain = work()
    t = tagged_at_definition()

print(sorted(w.tags), sorted(plain.tags), sorted(t.tags))
print(flow.run().is_successful())
