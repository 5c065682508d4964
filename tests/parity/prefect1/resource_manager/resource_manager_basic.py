"""A resource_manager class sets up a resource before the tasks in its block and cleans it up after.

Exercises prefect.resource_manager (docs-v1: core/idioms/resource-manager).
"""
import logging
import sys

from prefect import Flow, resource_manager, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

events = []


@resource_manager
class Connection:
    def __init__(self, dsn):
        self.dsn = dsn

    def setup(self):
        events.append(f"open {self.dsn}")
        return {"dsn": self.dsn, "rows": []}

    def cleanup(self, conn):
        events.append(f"close {conn['dsn']} with {len(conn['rows'])} rows")


@task
def insert(conn, row):
    conn["rows"].append(row)
    events.append(f"insert {row}")
    return row


with Flow("resource") as flow:
    with Connection("sqlite://demo") as conn:
        first = insert(conn, 1)
        second = insert(conn, 2, upstream_tasks=[first])

state = flow.run()
print(events)
print(type(state).__name__, state.result[second].result)
