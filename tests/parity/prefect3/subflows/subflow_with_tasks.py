"""Tasks run inside a subflow; the order of events across parent and child is sequential.

Exercises tasks inside nested flows."""
from prefect import flow, task

events = []


@task
def step(name: str) -> str:
    events.append(name)
    return name.upper()


@flow
def child(prefix: str) -> list:
    return [step(f"{prefix}-1"), step(f"{prefix}-2")]


@flow
def parent():
    step("start")
    a = child("a")
    b = child("b")
    step("end")
    return a + b


if __name__ == "__main__":
    print(parent())
    print(events)
