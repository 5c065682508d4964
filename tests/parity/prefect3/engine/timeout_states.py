"""timeout_seconds on a task and a flow: the state type and name, and the exception class
raised to the caller."""
import time

from prefect import flow, task


@task(timeout_seconds=0.2)
def slow_task():
    time.sleep(3)


@flow(timeout_seconds=0.3)
def slow_flow():
    time.sleep(3)


@flow
def main():
    s = slow_task(return_state=True)
    print("task:", s.type.value, s.name, s.message)
    try:
        slow_task()
    except Exception as exc:
        print("task raised", type(exc).__name__)


main()
s = slow_flow(return_state=True)
print("flow:", s.type.value, s.name, s.message)
try:
    slow_flow()
except Exception as exc:
    print("flow raised", type(exc).__name__)
