"""prefect.transactions with submitted and mapped tasks: task runs handed to the task runner
inside a transaction join it; a failure rolls back every one that completed.
(Prefect 3 docs: Transactions; task runners.)"""
from prefect import flow, task
from prefect.transactions import transaction

events = []


@task
def load(name: str) -> str:
    return name


@load.on_rollback
def undo(txn):
    events.append("rollback")


@load.on_commit
def done(txn):
    events.append("commit")


@task
def check(ok: bool) -> None:
    if not ok:
        raise ValueError("check failed")


@flow
def pipeline(ok: bool) -> str:
    with transaction() as txn:
        futures = load.map(["a", "b", "c"])
        single = load.submit("d")
        results = futures.result() + [single.result()]
        events.append(f"loaded {sorted(results)}")
        try:
            check(ok)
        except ValueError:
            events.append("check raised")
    return txn.state.name


print("failing:", pipeline(False), sorted(events))
events.clear()
print("passing:", pipeline(True), sorted(events))
