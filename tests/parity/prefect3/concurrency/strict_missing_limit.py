"""concurrency(..., strict=True) on a limit that does not exist raises instead of running the body.

Exercises the strict flag of prefect.concurrency.sync.concurrency; prints the exception class name."""
from prefect import flow
from prefect.concurrency.sync import concurrency


@flow
def main():
    try:
        with concurrency("parity-missing-strict", occupy=1, strict=True):
            print("body ran")
    except Exception as exc:
        print("raised", type(exc).__name__)


if __name__ == "__main__":
    main()
