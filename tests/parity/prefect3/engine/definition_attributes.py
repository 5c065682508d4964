"""Attributes of decorated tasks and flows: name, fn (the plain function, callable without
a run), with_options copies, description from the docstring, version, retries."""
from prefect import flow, task


@task(retries=2, tags=["t"])
def add(a, b):
    """Adds two numbers."""
    return a + b


@flow(name="My Flow", version="1.0", description="explicit")
def my_flow(x: int = 1):
    return add(x, 1)


print(add.name, add.retries, sorted(add.tags), add.description)
print(add.fn(2, 3))
print(my_flow.name, my_flow.version, my_flow.description)
renamed = add.with_options(name="plus", retries=0)
print(renamed.name, renamed.retries, add.name)
print(my_flow.with_options(name="Other").name)
print(my_flow.fn(4) if False else my_flow(4))


@flow
def documented():
    """First line.

    More text."""


print(repr(documented.description))
print(documented.name)
