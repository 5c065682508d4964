"""Mapping over iterables of different lengths raises MappingLengthMismatch; mapping with no iterable raises MappingMissingIterable.

Exercises errors from Task.map and their classes in prefect.exceptions."""
from prefect import flow, task
from prefect.exceptions import MappingLengthMismatch, MappingMissingIterable


@task
def add(a, b):
    return a + b


@flow
def main():
    try:
        add.map([1, 2, 3], [1, 2])
    except MappingLengthMismatch:
        print("MappingLengthMismatch")
    try:
        add.map(1, 2)
    except MappingMissingIterable:
        print("MappingMissingIterable")


if __name__ == "__main__":
    main()
