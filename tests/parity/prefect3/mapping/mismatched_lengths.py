"""Mapping over iterables of different lengths is an error raised by map itself.

Exercises Task.map with two iterables of unequal length (Prefect API: MappingLengthMismatch)."""
from prefect import flow, task
from prefect.exceptions import MappingLengthMismatch


@task
def pair(a, b):
    return (a, b)


@flow
def run():
    try:
        pair.map([1, 2, 3], [1, 2])
    except MappingLengthMismatch as exc:
        print("raised", type(exc).__name__)
    return pair.map([1, 2], ["x", "y"]).result()


print(run())
