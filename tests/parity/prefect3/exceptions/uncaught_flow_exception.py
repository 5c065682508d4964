"""An exception raised in a flow propagates out of the flow call with its own class, and the process exits 1.

Exercises a flow's failure as seen by plain Python (the exit code is compared)."""
from prefect import flow


class MyError(Exception):
    pass


@flow
def main():
    print("about to fail")
    raise MyError("custom failure")


if __name__ == "__main__":
    try:
        main()
    except MyError as exc:
        print("caught", type(exc).__name__, exc)
    main()
