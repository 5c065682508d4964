"""Annotations inside collections are taken off too: a task receives `[quote(3)]` as
`[3]`, a quoted future inside a dict as the future itself, an opaque future in a tuple
as its result.

Exercises prefect.utilities.annotations (quote, opaque, allow_failure) nested in arguments."""
from prefect import allow_failure, flow, task
from prefect.futures import PrefectFuture
from prefect.utilities.annotations import opaque, quote


@task
def one():
    return 1


@task
def broken():
    raise ValueError("v")


@task
def describe(value):
    def show(v):
        if isinstance(v, PrefectFuture):
            return "a future"
        if isinstance(v, BaseException):
            return type(v).__name__
        return v

    if isinstance(value, dict):
        return {k: show(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [show(v) for v in value]
    return show(value)


@flow
def main():
    done = one.submit()
    failed = broken.submit()
    print("[quote(3)]:", describe.submit([quote(3)]).result())
    print("{'x': quote(future)}:", describe.submit({"x": quote(done)}).result())
    print("(opaque(future), 2):", describe.submit((opaque(done), 2)).result())
    print("{'f': allow_failure(failed)}:", describe.submit({"f": allow_failure(failed)}).result())
    print("quote(quote(3)):", describe(quote(quote(3))))
    return "done"


if __name__ == "__main__":
    print(main())
