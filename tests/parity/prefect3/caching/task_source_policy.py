"""cache_policy=TASK_SOURCE: the key depends only on the task's code, so different inputs still hit the cache.

Exercises prefect.cache_policies.TASK_SOURCE."""
from prefect import flow, task
from prefect.cache_policies import TASK_SOURCE


@task(cache_policy=TASK_SOURCE)
def get(x: int) -> int:
    return x


@flow
def main():
    a = get(1, return_state=True)
    b = get(2, return_state=True)
    print("first", a.name, a.result())
    print("second", b.name, b.result())


if __name__ == "__main__":
    main()
