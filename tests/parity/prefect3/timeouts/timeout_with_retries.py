"""A timed-out task is retried like any failure; the second attempt, which is quick, completes.

Exercises timeout_seconds combined with retries."""
import time

from prefect import flow, task

attempts = []


@task(timeout_seconds=1, retries=1)
def sometimes_slow():
    attempts.append(1)
    if len(attempts) == 1:
        time.sleep(5)
    return len(attempts)


@flow
def main():
    s = sometimes_slow(return_state=True)
    print(s.name, s.result(), "attempts", len(attempts))


if __name__ == "__main__":
    main()
