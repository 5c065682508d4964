"""return_state=True makes a flow call return its final State instead of the value.

Exercises Flow.__call__(return_state=True) and State.result() (Prefect docs: states)."""
from prefect import flow


@flow
def ok(x: int):
    return x + 1


@flow
def boom():
    raise ValueError("broken on purpose")


state = ok(1, return_state=True)
print(state.is_completed(), state.type.value, state.name)
print(state.result())

bad = boom(return_state=True)
print(bad.is_failed(), bad.type.value, bad.name)
exc = bad.result(raise_on_failure=False)
print(type(exc).__name__, str(exc))
try:
    bad.result()
except ValueError as e:
    print("raised", e)
