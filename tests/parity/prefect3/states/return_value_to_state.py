"""prefect.states helpers: return_value_to_state (a value, a state, or an aggregate of states),
format_exception, and the async aget_state_exception / araise_state_exception."""
import asyncio

from prefect.results import get_result_store
from prefect.states import (
    Cancelled,
    Completed,
    Crashed,
    Failed,
    Pending,
    aget_state_exception,
    araise_state_exception,
    format_exception,
    return_value_to_state,
)

store = get_result_store()


def to_state(value):
    return asyncio.run(return_value_to_state(value, store))


given = Failed(message="given")
print(to_state(given) is given)
for states in ([Completed(data=1), Failed(message="no")], [Completed(data=1), Completed(data=2)],
               [Completed(), Cancelled()], [Completed(), Crashed()], [Completed(), Pending()]):
    state = to_state(states)
    print(state.type.value, repr(state.message))
print([s.result() for s in to_state([Completed(data=1), Completed(data=2)]).result()])
for value in (5, (1, 2), None, "text"):
    state = to_state(value)
    print(state.type.value, state.result(), state.message)
try:
    raise ValueError("bad input")
except ValueError as exc:
    print(repr(format_exception(exc)))
    print(format_exception(exc, exc.__traceback__).splitlines()[-1])
print(type(asyncio.run(aget_state_exception(Failed(data=ValueError("x"))))).__name__)
try:
    asyncio.run(araise_state_exception(Failed(data=KeyError("k"))))
except KeyError as exc:
    print("raised", repr(exc))
print(asyncio.run(araise_state_exception(Completed())))
