"""future.result(timeout=...) on a task that is still running raises a TimeoutError;
the task itself keeps running and its result is available later.

Exercises PrefectFuture.result(timeout=...) (Prefect API: futures)."""
import threading

from prefect import flow, task

release = threading.Event()


@task
def held():
    release.wait(10)
    return "released"


@flow
def run():
    fut = held.submit()
    try:
        fut.result(timeout=0.3)
        print("no timeout")
    except TimeoutError as exc:
        print("timed out:", isinstance(exc, TimeoutError))
    release.set()
    print(fut.result())


run()
