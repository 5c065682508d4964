"""state.result(raise_on_failure=False) returns the exception of a failed run instead of raising it.

Exercises State.result(raise_on_failure=False) for tasks and flows."""
from prefect import flow, task


@task
def bad():
    raise ValueError("task went wrong")


@flow
def main():
    s = bad(return_state=True)
    exc = s.result(raise_on_failure=False)
    print("task:", type(exc).__name__, str(exc))
    raise RuntimeError("flow went wrong")


if __name__ == "__main__":
    fs = main(return_state=True)
    exc = fs.result(raise_on_failure=False)
    print("flow:", type(exc).__name__, str(exc))
