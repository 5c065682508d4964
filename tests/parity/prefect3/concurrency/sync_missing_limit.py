"""concurrency() on a limit name that was never created does not block: the body runs (non-strict default).

Exercises prefect.concurrency.sync.concurrency (docs: "Global concurrency limits")."""
from prefect import flow, task
from prefect.concurrency.sync import concurrency


@task
def guarded(x: int) -> int:
    with concurrency("parity-never-created", occupy=1):
        return x + 1


@flow
def main():
    print([guarded(i) for i in range(3)])


if __name__ == "__main__":
    main()
