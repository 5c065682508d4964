"""Task options given to the constructor and to @task: name, slug, tags, max_retries, retry_delay.

Exercises prefect.Task.__init__ options and task_args= on call (docs-v1: api/latest/core/task).
"""
import datetime
import logging
import sys

from prefect import Flow, Task, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


class Noop(Task):
    def run(self):
        return "noop"


t = Noop(name="my-noop", tags=["etl", "fast"], max_retries=2, retry_delay=datetime.timedelta(seconds=1))
print(t.name, sorted(t.tags), t.max_retries, t.retry_delay.total_seconds())


@task(name="Renamed", tags=["x"])
def original():
    return 1


print(original.name, sorted(original.tags), original.max_retries)

with Flow("opts") as flow:
    r = original(task_args=dict(name="per-call", tags=["y"]))
    n = t()

print(r.name, sorted(r.tags))
state = flow.run()
print(state.result[r].result, state.result[n].result)
print(sorted(task.name for task in flow.tasks))
