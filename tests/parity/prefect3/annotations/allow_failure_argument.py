"""A failed future passed as an argument through allow_failure() arrives as its exception object.

Exercises allow_failure as a task input."""
from prefect import allow_failure, flow, task


@task
def broken():
    raise KeyError("k")


@task
def inspect_value(v):
    return type(v).__name__


@flow
def main():
    f = broken.submit()
    return inspect_value.submit(allow_failure(f)).result()


if __name__ == "__main__":
    print(main())
