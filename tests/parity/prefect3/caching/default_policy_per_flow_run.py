"""The DEFAULT policy includes the flow run id: same inputs hit the cache within one flow run, not across two.

Exercises prefect.cache_policies.DEFAULT (INPUTS + TASK_SOURCE + RUN_ID)."""
from prefect import flow, task
from prefect.cache_policies import DEFAULT


@task(cache_policy=DEFAULT)
def f(x: int) -> int:
    return x + 1


@flow
def main(tag: str):
    a = f(1, return_state=True)
    b = f(1, return_state=True)
    print(tag, a.name, b.name)


if __name__ == "__main__":
    main("run1")
    main("run2")
