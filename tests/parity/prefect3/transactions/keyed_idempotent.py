"""A keyed transaction writes a record on commit; a second transaction with the same key sees it as committed.

Exercises transaction(key=...) with a task result and Transaction.is_committed() on re-entry."""
from prefect import flow, task
from prefect.transactions import transaction

runs = []


@task
def load(x: int) -> int:
    runs.append(x)
    return x * 2


@flow
def main():
    for attempt in (1, 2):
        with transaction(key="load-once") as txn:
            if txn.is_committed():
                print(attempt, "already committed, skipping")
            else:
                txn.stage(load(21))
                print(attempt, "ran load")
    print("load ran", len(runs), "time(s)")


if __name__ == "__main__":
    main()
