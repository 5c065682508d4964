"""A subflow that exceeds its timeout_seconds is TimedOut; the parent called it with return_state and carries on.

Exercises flow timeouts on nested flows."""
import time

from prefect import flow


@flow(timeout_seconds=1)
def slow_child():
    time.sleep(5)


@flow
def parent():
    s = slow_child(return_state=True)
    print("child", s.type.value, s.name)
    return "parent done"


if __name__ == "__main__":
    print(parent())
