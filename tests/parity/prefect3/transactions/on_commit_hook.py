"""Task on_commit hooks run when the enclosing transaction commits, after the block ends.

Exercises @task.on_commit with prefect.transactions.transaction."""
from prefect import flow, task
from prefect.transactions import transaction

events = []


@task
def stage(x: int) -> int:
    events.append(f"stage {x}")
    return x


@stage.on_commit
def committed(txn):
    events.append("commit hook")


@flow
def main():
    with transaction() as txn:
        stage(1)
        events.append("end of block")
    events.append(f"after block committed={txn.is_committed()}")


if __name__ == "__main__":
    main()
    print(events)
