"""A task that runs past timeout_seconds ends in a Failed state named TimedOut; its result() raises TimeoutError.

Exercises @task(timeout_seconds=...) (docs: "Write and run tasks", timeouts)."""
import time

from prefect import flow, task


@task(timeout_seconds=1)
def slow():
    time.sleep(5)
    return "finished"


@flow
def main():
    s = slow(return_state=True)
    print(s.type.value, s.name)
    try:
        s.result()
    except TimeoutError as exc:
        print("raised", type(exc).__name__, isinstance(exc, TimeoutError))
    return "ok"


if __name__ == "__main__":
    print(main())
