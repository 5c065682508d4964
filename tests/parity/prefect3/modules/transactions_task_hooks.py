"""prefect.transactions with tasks: `@task.on_commit` / `@task.on_rollback` decorators; every
task run has its own transaction (a child of the enclosing one); a task's transaction commits before its on_completion hooks; a
failed attempt rolls back the enclosing transaction even when a retry then succeeds.
(Prefect 3 docs: Transactions; API: Task.on_commit, Task.on_rollback.)"""
from prefect import flow, task
from prefect.transactions import get_transaction, transaction

events = []


def completed(tsk, run, state):
    events.append(f"{tsk.name}: on_completion {state.name}")


@task(on_completion=[completed])
def load(x: int) -> int:
    txn = get_transaction()
    events.append(f"load({x}) in its own transaction: {txn is not None}, {txn.state.name}")
    txn.set("x", x)
    return x


@load.on_commit
def load_committed(txn):
    events.append(f"load({txn.get('x')}) committed")


@load.on_rollback
def load_rolled_back(txn):
    events.append(f"load({txn.get('x')}) rolled back")


attempts = []


@task(retries=1)
def flaky() -> str:
    attempts.append(len(attempts) + 1)
    events.append(f"flaky attempt {len(attempts)}")
    if len(attempts) == 1:
        raise ValueError("first attempt fails")
    return "ok"


@flaky.on_commit
def flaky_committed(txn):
    events.append("flaky committed")


@task
def plain() -> str:
    txn = get_transaction()
    return f"{txn.state.name}, has parent: {txn.get_parent() is not None}"


@flow
def pipeline():
    events.append(f"a plain task has its own transaction: {plain()}")
    load(1)
    events.append("--- inside a transaction")
    with transaction() as txn:
        events.append(f"a plain task in the block: {plain()}")
        load(2)
        events.append("after load(2)")
        events.append(f"flaky returned {flaky()}")
        events.append(f"transaction now {txn.state.name}")
    events.append(f"block ended {txn.state.name}")
    return "done"


print("flow returned:", pipeline())
print("\n".join(events))
