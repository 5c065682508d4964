"""States with custom names returned from tasks and flows keep their name and type:
Completed(name="Skipped"), Failed(name="Rejected"), Cancelled returned from a flow."""
from prefect import flow, task
from prefect.states import Cancelled, Completed, Failed


@task
def maybe(x):
    if x < 0:
        return Completed(name="Skipped", message="negative input")
    return x


@flow
def skipping():
    s = maybe(-1, return_state=True)
    print("task:", s.type.value, s.name, s.message, s.is_completed())
    print("task value:", maybe(2))
    return Completed(name="Skipped", message="nothing to do")


@flow
def rejecting():
    return Failed(name="Rejected", message="bad input")


@flow
def stopping():
    return Cancelled(message="stopped early")


s = skipping(return_state=True)
print("flow:", s.type.value, s.name, s.message, s.is_completed(), s.result())
s = rejecting(return_state=True)
print("flow:", s.type.value, s.name, s.message, s.is_failed())
try:
    s.result()
except Exception as exc:
    print("raised", type(exc).__name__, exc)
s = stopping(return_state=True)
print("flow:", s.type.value, s.name, s.message, s.is_cancelled())
