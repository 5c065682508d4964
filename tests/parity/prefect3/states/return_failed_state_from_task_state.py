"""A flow returning the failed state of one of its tasks fails with that task's exception.

Exercises returning a task's State from a flow (Prefect docs: flows, "Final state")."""
from prefect import flow, task


@task
def boom():
    raise LookupError("inner problem")


@flow
def run():
    state = boom(return_state=True)
    print("task state:", state.type.value)
    return state


final = run(return_state=True)
print("flow state:", final.type.value, final.is_failed())
try:
    run()
except LookupError as exc:
    print("flow call raised LookupError:", exc)
