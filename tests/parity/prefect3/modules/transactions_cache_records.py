"""prefect.transactions with cached tasks: inside a transaction, a task's cache record is
written only when the transaction commits, so a rolled-back block leaves no record and
the task runs again. (Prefect 3 docs: Transactions, caching.)"""
from prefect import flow, task
from prefect.cache_policies import INPUTS
from prefect.transactions import transaction

calls = []


@task(cache_policy=INPUTS, persist_result=True)
def expensive(x: int) -> int:
    calls.append(x)
    return x * 10


@task
def validate(ok: bool) -> None:
    if not ok:
        raise ValueError("validation failed")


@flow
def pipeline(x: int, ok: bool) -> str:
    try:
        with transaction() as txn:
            expensive(x)
            validate(ok)
    except ValueError:
        pass
    return txn.state.name


print("rolled back:", pipeline(1, False), "calls:", calls)
print("run again after rollback:", pipeline(1, True), "calls:", calls)
print("cached after commit:", pipeline(1, True), "calls:", calls)
state = expensive(1, return_state=True)
print("outside a flow:", state.name, state.result(), "calls:", calls)
