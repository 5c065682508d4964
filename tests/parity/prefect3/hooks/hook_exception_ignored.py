"""A hook that raises does not change the task's final state; later hooks still run.

Exercises error handling in state change hooks."""
from prefect import flow, task


def broken(t, r, s):
    print("broken hook runs")
    raise RuntimeError("hook failure")


def after(t, r, s):
    print("after hook runs")


@task(on_completion=[broken, after])
def t():
    return 42


@flow
def main():
    s = t(return_state=True)
    print("task state", s.name, s.result())


if __name__ == "__main__":
    main()
