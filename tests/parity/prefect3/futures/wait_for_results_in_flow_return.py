"""What a flow's caller receives when the flow returns futures (alone, in a list, from map):
in Prefect 3 each future is resolved to its final State.

Exercises returning futures and collections of futures from a flow (Prefect docs: flows)."""
from prefect import flow, task
from prefect.states import State


@task
def sq(x: int) -> int:
    return x * x


def describe(value):
    if isinstance(value, State):
        return f"State {value.type.value} -> {value.result()}"
    if isinstance(value, list):
        return [describe(v) for v in value]
    return f"{type(value).__name__} {value}"


@flow
def returns_future():
    return sq.submit(3)


@flow
def returns_list():
    return [sq.submit(i) for i in range(3)]


@flow
def returns_mapped():
    return sq.map([4, 5])


print(describe(returns_future()))
print(describe(returns_list()))
print(describe(returns_mapped()))
