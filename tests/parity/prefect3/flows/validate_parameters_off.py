"""With validate_parameters=False the flow receives its arguments as given, without coercion.

Exercises @flow(validate_parameters=...) (Prefect API: flow decorator)."""
from prefect import flow


@flow
def coerced(x: int):
    return type(x).__name__, x


@flow(validate_parameters=False)
def raw(x: int):
    return type(x).__name__, x


print(coerced("5"))
print(raw("5"))
