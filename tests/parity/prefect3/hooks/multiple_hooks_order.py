"""Several hooks on one task run in the order they were given, each once.

Exercises hook ordering for lists of hooks."""
from prefect import flow, task

order = []


def first(t, r, s):
    order.append("first")


def second(t, r, s):
    order.append("second")


def third(t, r, s):
    order.append("third")


@task(on_completion=[first, second, third])
def t():
    order.append("body")


@flow
def main():
    t()


if __name__ == "__main__":
    main()
    print(order)
