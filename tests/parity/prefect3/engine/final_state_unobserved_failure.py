"""A flow that submits a failing task and never looks at its future: the flow's final
state and result as Prefect 3 decides them (the return value decides)."""
from prefect import flow, task


@task
def boom():
    raise ValueError("nope")


@task
def fine():
    return 1


@flow
def forgetful():
    boom.submit()
    fine.submit()
    return "done"


@flow
def returns_nothing():
    boom.submit()


s = forgetful(return_state=True)
print(s.type.value, s.name, s.result())
s = returns_nothing(return_state=True)
print(s.type.value, s.name, s.result())
print(forgetful())
