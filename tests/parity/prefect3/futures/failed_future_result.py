"""future.result() re-raises the task's exception; raise_on_failure=False returns it.

Exercises PrefectFuture.result(raise_on_failure=...) (Prefect API: futures)."""
from prefect import flow, task


class Oops(Exception):
    pass


@task
def broken():
    raise Oops("inside the task")


@flow
def run():
    fut = broken.submit()
    try:
        fut.result()
    except Oops as exc:
        print("raised", type(exc).__name__, exc)
    returned = fut.result(raise_on_failure=False)
    print("returned", type(returned).__name__)
    print(fut.state.is_failed())
    return "handled"


print(run())
