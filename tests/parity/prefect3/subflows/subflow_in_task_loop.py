"""A subflow called several times in a loop; each call is a separate run with its own parameters.

Exercises repeated subflow calls and runtime.flow_run.parameters."""
from prefect import flow
from prefect.runtime import flow_run


@flow
def child(i: int) -> dict:
    return dict(flow_run.parameters)


@flow
def parent():
    return [child(i) for i in range(3)]


if __name__ == "__main__":
    print(parent())
