"""A flow returning a future (or a list of them) takes the final state from those task runs.

Exercises returning futures from a flow (Prefect docs: flows, "Final state determination")."""
from prefect import flow, task


@task
def ok():
    return "fine"


@task
def bad():
    raise ValueError("bad task")


@flow
def returns_good_future():
    return ok.submit()


@flow
def returns_bad_future():
    return bad.submit()


@flow
def returns_mixed_list():
    return [ok.submit(), bad.submit()]


print(returns_good_future())
for fn in (returns_bad_future, returns_mixed_list):
    state = fn(return_state=True)
    print(fn.name, state.type.value, state.is_failed())
