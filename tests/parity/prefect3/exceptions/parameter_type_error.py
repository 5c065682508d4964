"""A flow called with a parameter that does not validate against its annotation raises ParameterTypeError.

Exercises flow parameter validation (docs: flow parameters, type hints) and prefect.exceptions.ParameterTypeError."""
from prefect import flow
from prefect.exceptions import ParameterTypeError, PrefectException


@flow
def typed(n: int) -> int:
    return n * 2


if __name__ == "__main__":
    print("coerced", typed("21"))
    try:
        typed("not a number")
    except ParameterTypeError as exc:
        print("raised", type(exc).__name__, isinstance(exc, PrefectException))
