"""A task that returns a State ends in that state: Failed fails the task, Completed carries data.

Exercises returning prefect.states objects from tasks (Prefect docs: states)."""
from prefect import flow, task
from prefect.states import Completed, Failed


@task
def decide(ok: bool):
    if ok:
        return Completed(message="fine", data=42)
    return Failed(message="declined")


@flow
def run():
    good = decide(True, return_state=True)
    print(good.type.value, good.message, good.result())
    bad = decide(False, return_state=True)
    print(bad.type.value, bad.message)
    print(decide(True))
    try:
        decide(False)
    except Exception as exc:
        print("call raised:", type(exc).__name__)
    return "ok"


print(run())
