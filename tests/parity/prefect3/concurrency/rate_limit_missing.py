"""rate_limit() on a limit name that does not exist returns at once and code after it runs.

Exercises prefect.concurrency.sync.rate_limit."""
from prefect import flow
from prefect.concurrency.sync import rate_limit


@flow
def main():
    done = []
    for i in range(3):
        rate_limit("parity-no-such-rate-limit")
        done.append(i)
    print(done)


if __name__ == "__main__":
    main()
