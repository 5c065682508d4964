"""prefect.utilities.annotations in task calls: allow_failure lets a task run after a failed
upstream (receiving its exception), quote passes a value unresolved and unwrapped, opaque
resolves a future, unmapped passes a list whole to map. (Prefect 3 API:
prefect.utilities.annotations; docs: Tasks, mapping.)"""
from prefect import flow, task
from prefect.utilities.annotations import allow_failure, opaque, quote, unmapped


@task
def fails() -> int:
    raise ValueError("upstream broke")


@task
def works() -> dict:
    return {"rows": [1, 2, 3]}


@task
def describe(value) -> str:
    return f"{type(value).__name__}: {value}"


@task
def holds_a_future(value: list) -> bool:
    return type(value[0]).__name__.endswith("Future")


@task
def add(x: int, extra: list) -> int:
    return x + sum(extra)


@flow
def pipeline():
    bad = fails.submit()
    print("allow_failure:", describe(allow_failure(bad)))
    good = works.submit()
    print("opaque:", describe(opaque(good)))
    print("quote:", describe(quote({"raw": [1, 2]})))
    print("quote keeps futures unresolved:", holds_a_future(quote([good])))
    print("unmapped:", add.map([1, 2], unmapped([10, 20])).result())
    return "done"


print(pipeline())
