"""map(..., return_state=True) and submit(..., return_state=True) give states, not futures.

Exercises return_state on calls, submit and map (Prefect 3 API: Task)."""
from prefect import flow, task


@task
def check(x: int) -> int:
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x


@flow
def run():
    states = check.map([1, -1, 2], return_state=True)
    print([s.type.value for s in states])
    print([s.result(raise_on_failure=False) if s.is_completed() else type(s.result(raise_on_failure=False)).__name__ for s in states])
    one = check.submit(5, return_state=True)
    print(one.is_completed(), one.result())
    return "done"


print(run())
