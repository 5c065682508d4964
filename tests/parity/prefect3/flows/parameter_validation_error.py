"""A flow called with a value its type hints reject raises ParameterTypeError before running;
with return_state=True the call returns a Failed state instead.

Exercises flow parameter validation (Prefect docs: flows, "Parameters")."""
from prefect import flow
from prefect.exceptions import ParameterTypeError

ran = []


@flow
def typed(count: int):
    ran.append(count)
    return count * 2


try:
    typed("not a number")
except ParameterTypeError as exc:
    print("raised", type(exc).__name__)

state = typed("still not a number", return_state=True)
print("state failed:", state.is_failed())
print("state type:", state.type.value)
try:
    state.result()
except ParameterTypeError as exc:
    print("result raised", type(exc).__name__)
print("body ran:", ran)
print(typed("21"))
