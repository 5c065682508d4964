"""opaque() resolves a future to its result but does not look inside it for nested futures.

Exercises prefect.utilities.annotations.opaque."""
from prefect import flow, task
from prefect.utilities.annotations import opaque


@task
def load() -> dict:
    return {"a": 1, "b": 2}


@task
def total(d: dict) -> int:
    return sum(d.values())


@flow
def main():
    data = load.submit()
    print(total.submit(opaque(data)).result())
    print("unwrap", opaque(5).unwrap())


if __name__ == "__main__":
    main()
