"""When code inside a transaction raises, completed tasks' on_rollback hooks run and the transaction is rolled back.

Exercises task on_rollback hooks inside prefect.transactions.transaction within a flow."""
from prefect import flow, task
from prefect.transactions import transaction

events = []


@task
def write_file(name: str):
    events.append(f"write {name}")
    return name


@write_file.on_rollback
def undo(txn):
    events.append("rollback hook")


@task
def validate():
    raise ValueError("bad data")


@flow
def pipeline():
    with transaction() as txn:
        write_file("data.csv")
        validate()
    return txn


if __name__ == "__main__":
    state = pipeline(return_state=True)
    print("flow", state.type.value)
    print(events)
