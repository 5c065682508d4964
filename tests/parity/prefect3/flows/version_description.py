"""A flow's version and description: explicit values, and the docstring as the default description.

Exercises @flow(version=..., description=...) attributes (Prefect API: Flow)."""
from prefect import flow


@flow(version="1.2.3", description="Explicit description")
def explicit():
    return "e"


@flow
def documented():
    """Docstring description."""
    return "d"


@flow
def bare():
    return "b"


print(explicit.version)
print(explicit.description)
print(documented.description)
print(bare.description)
print(explicit(), documented(), bare())
