"""With retries, on_failure fires only after the last attempt fails; on_completion after a successful retry.

Exercises hooks combined with @task(retries=...)."""
from prefect import flow, task

attempts = {"a": 0, "b": 0}


def ok(t, r, s):
    print("completion hook", t.name, "after", attempts[t.name[-1]], "attempts")


def bad(t, r, s):
    print("failure hook", t.name, "after", attempts[t.name[-1]], "attempts")


@task(name="task-a", retries=2, on_completion=[ok], on_failure=[bad])
def a():
    attempts["a"] += 1
    if attempts["a"] < 2:
        raise ValueError("flaky")


@task(name="task-b", retries=1, on_completion=[ok], on_failure=[bad])
def b():
    attempts["b"] += 1
    raise ValueError("always")


@flow
def main():
    a()
    b(return_state=True)


if __name__ == "__main__":
    main()
