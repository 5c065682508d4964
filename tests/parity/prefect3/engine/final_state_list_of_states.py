"""A flow returning a list of task states or futures: one failed makes the flow Failed;
all completed leaves it Completed with the list as result."""
from prefect import flow, task


@task
def check(x):
    if x == 2:
        raise ValueError("two")
    return x


@flow
def states_mixed():
    return [check(i, return_state=True) for i in range(3)]


@flow
def states_ok():
    return [check(i, return_state=True) for i in (0, 1)]


@flow
def futures_mixed():
    return [check.submit(i) for i in range(3)]


@flow
def futures_ok():
    return [check.submit(i) for i in (0, 1, 3)]


for f in (states_mixed, states_ok, futures_mixed, futures_ok):
    s = f(return_state=True)
    print(f.name, s.type.value, s.name, s.message)
    if s.is_completed():
        r = s.result()
        print("  result:", [type(x).__name__ for x in r], [x.result() for x in r])
