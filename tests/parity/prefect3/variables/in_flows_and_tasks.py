"""Variables read and written from a flow and its tasks (sync), the common use:
configuration shared between runs."""

from prefect import flow, task
from prefect.variables import Variable

NAME = "parity_flow_threshold"
Variable.unset(NAME)


@task
def threshold() -> int:
    return Variable.get(NAME, default=10)


@task
def keep(values: list, limit: int) -> list:
    return [v for v in values if v <= limit]


@flow
def filter_values(values: list) -> list:
    return keep(values, threshold())


print(filter_values([5, 12, 30]))
Variable.set(NAME, 20)
print(filter_values([5, 12, 30]))


@flow
def bump() -> int:
    Variable.set(NAME, Variable.get(NAME) + 5, overwrite=True)
    return Variable.get(NAME)


print(bump(), bump())
print(Variable.unset(NAME))
