"""A flow that raises propagates its exception out of the call: the script exits with status 1.

Exercises the failure path of a direct flow call (Prefect docs: flows, "Final state")."""
from prefect import flow, task


@task
def fails():
    raise KeyError("missing")


@flow
def doomed():
    print("before task")
    fails()
    print("never printed")


try:
    doomed()
except KeyError as exc:
    print("caught", type(exc).__name__, exc)

print("about to raise for real")
doomed()
