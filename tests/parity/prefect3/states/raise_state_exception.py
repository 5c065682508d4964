"""raise_state_exception raises the exception held by a failed state and does nothing for a completed one;
get_state_exception returns it.

Exercises prefect.states.raise_state_exception and get_state_exception (Prefect API: states)."""
from prefect import flow
from prefect.states import Completed, get_state_exception, raise_state_exception


@flow
def broken():
    raise IndexError("out of range")


state = broken(return_state=True)
try:
    raise_state_exception(state)
except IndexError as exc:
    print("raised", exc)
print(type(get_state_exception(state)).__name__)
print(raise_state_exception(Completed()))
