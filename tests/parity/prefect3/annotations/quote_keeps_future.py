"""quote() around a future is not resolved: the task receives the future object itself.

Exercises the difference between quote (no resolution) and a plain future argument."""
from prefect import flow, task
from prefect.futures import PrefectFuture
from prefect.utilities.annotations import quote


@task
def one() -> int:
    return 1


@task
def kind(v):
    return isinstance(v, PrefectFuture)


@flow
def main():
    f = one.submit()
    print("plain argument is future:", kind(f))
    print("quoted argument is future:", kind(quote(f)))


if __name__ == "__main__":
    main()
