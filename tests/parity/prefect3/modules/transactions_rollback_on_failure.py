"""prefect.transactions: a task that fails inside `with transaction()` rolls back the
tasks that completed before it (their on_rollback hooks run, newest first); on_commit
hooks never run. The flow fails. (Prefect 3 docs: Transactions.)"""
import os

from prefect import flow, task
from prefect.transactions import get_transaction, transaction

events = []


@task
def write_file(name: str, contents: str) -> str:
    with open(name, "w") as f:
        f.write(contents)
    get_transaction().set("path", name)
    return name


@write_file.on_rollback
def delete_file(txn):
    path = txn.get("path")
    events.append(f"rollback: deleting {path}")
    os.unlink(path)


@write_file.on_commit
def announce(txn):
    events.append(f"commit: {txn.get('path')}")


@task
def quality_test(name: str) -> None:
    with open(name) as f:
        data = f.read()
    if len(data) < 10:
        raise ValueError(f"not enough data in {name}")


@flow
def pipeline(contents: str):
    with transaction() as txn:
        write_file("first.txt", contents)
        write_file("second.txt", contents)
        events.append(f"before test: {txn.state.name}")
        quality_test("second.txt")
    events.append("not reached")


state = pipeline("tiny", return_state=True)
print("\n".join(events))
print("flow state:", state.type.value, state.is_failed())
print("files left:", sorted(p for p in os.listdir(".") if p.endswith(".txt")))

# enough data: the transaction commits and both files stay
events.clear()
pipeline("plenty of data here")
print("\n".join(events))
print("files left:", sorted(p for p in os.listdir(".") if p.endswith(".txt")))
