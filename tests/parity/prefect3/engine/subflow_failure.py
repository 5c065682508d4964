"""A subflow that raises: the exception reaches the parent's call; with return_state the
parent sees the Failed state and can carry on; the parent's final state follows its return."""
from prefect import flow


@flow
def child(x):
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x * 2


@flow
def parent_handles():
    s = child(-1, return_state=True)
    print("child state:", s.type.value, s.message)
    return child(2)


@flow
def parent_raises():
    return child(-5)


print(parent_handles())
s = parent_raises(return_state=True)
print(s.type.value, s.message)
try:
    parent_raises()
except ValueError as exc:
    print("caught", exc)
