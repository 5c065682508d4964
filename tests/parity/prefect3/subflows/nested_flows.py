"""A flow calls other flows as subflows; results flow back to the parent.

Exercises nested flows (docs: "Write and run flows", nesting)."""
from prefect import flow


@flow
def add(a: int, b: int) -> int:
    return a + b


@flow
def times(a: int, b: int) -> int:
    return a * b


@flow
def parent(x: int) -> int:
    s = add(x, 1)
    p = times(s, 3)
    print("sum", s, "product", p)
    return p


if __name__ == "__main__":
    print("final", parent(4))
