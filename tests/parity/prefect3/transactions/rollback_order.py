"""With several tasks in a failing transaction, on_rollback hooks run for each completed task in reverse order.

Exercises rollback ordering of task hooks."""
from prefect import flow, task
from prefect.transactions import transaction

events = []


def make(name):
    @task(name=name)
    def step():
        events.append(f"run {name}")

    @step.on_rollback
    def undo(txn):
        events.append(f"undo {name}")

    return step


first, second, third = make("first"), make("second"), make("third")


@flow
def main():
    try:
        with transaction():
            first()
            second()
            third()
            raise RuntimeError("abort")
    except RuntimeError:
        events.append("caught")


if __name__ == "__main__":
    main()
    print(events)
