"""Flows accept *args and **kwargs; runtime parameters show how they were bound.

Exercises flows with variadic parameters and prefect.runtime.flow_run.parameters."""
from prefect import flow
from prefect.runtime import flow_run


@flow
def collect(first, *rest, **options):
    params = flow_run.parameters
    print(sorted(params))
    return first, list(rest), sorted(options.items())


print(collect(1, 2, 3, mode="fast", level=2))
print(collect("only"))
