"""unmapped() around a future: every mapped run receives the upstream task's full result.

Exercises prefect.utilities.annotations.unmapped with a PrefectFuture."""
from prefect import flow, task
from prefect.utilities.annotations import unmapped


@task
def offset() -> int:
    return 100


@task
def add(x: int, base: int) -> int:
    return x + base


@flow
def main():
    base = offset.submit()
    print(add.map([1, 2, 3], base=unmapped(base)).result())


if __name__ == "__main__":
    main()
