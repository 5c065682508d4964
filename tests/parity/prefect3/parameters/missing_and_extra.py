"""A missing required argument or an unknown keyword raises a TypeError-compatible error.

Exercises flow call binding errors (Prefect API: prefect.exceptions.ParameterBindError)."""
from prefect import flow


@flow
def needs(a: int, b: int):
    return a + b


for call in (lambda: needs(1), lambda: needs(1, 2, c=3), lambda: needs(1, 2, 3)):
    try:
        call()
    except TypeError as exc:
        print("TypeError subclass:", type(exc).__name__)
print(needs(1, b=2))
