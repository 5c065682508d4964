"""A flow returning a list of task states fails if any of them failed; all completed means completed.

Exercises final state determination with returned iterables of states (Prefect docs: flows)."""
from prefect import flow, task


@task
def check(x: int):
    if x > 2:
        raise ValueError(x)
    return x


@flow
def all_ok():
    return [check(i, return_state=True) for i in range(3)]


@flow
def one_bad():
    return [check(i, return_state=True) for i in range(4)]


s = all_ok(return_state=True)
print(s.type.value)
print([st.result() for st in s.result()])
s = one_bad(return_state=True)
print(s.type.value)
