"""Tasks called outside any flow: a call returns the value, return_state gives the state,
a failing call raises the task's own exception."""
from prefect import task


@task
def square(x):
    return x * x


@task
def broken():
    raise KeyError("missing")


print(square(3))
s = square(5, return_state=True)
print(s.type.value, s.result())
s = broken(return_state=True)
print(s.type.value, s.message)
try:
    broken()
except KeyError as exc:
    print("raised KeyError", exc)
