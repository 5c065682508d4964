"""Calling a flow with an unknown keyword or a missing required argument raises a TypeError subclass.

Exercises prefect.exceptions.ParameterBindError / SignatureMismatchError on flow calls."""
from prefect import flow


@flow
def two(a: int, b: int) -> int:
    return a + b


if __name__ == "__main__":
    for kwargs in ({"a": 1, "b": 2, "c": 3}, {"a": 1}):
        try:
            two(**kwargs)
            print("accepted")
        except TypeError as exc:
            print("raised", type(exc).__name__)
