"""A task with INPUTS + TASK_SOURCE caching called from two different flows: the second flow gets the Cached result.

Exercises cache keys that do not depend on the flow run."""
from prefect import flow, task
from prefect.cache_policies import INPUTS, TASK_SOURCE

calls = []


@task(cache_policy=INPUTS + TASK_SOURCE)
def lookup(key: str) -> str:
    calls.append(key)
    return key[::-1]


@flow
def first():
    s = lookup("abc", return_state=True)
    return s.name, s.result()


@flow
def second():
    s = lookup("abc", return_state=True)
    return s.name, s.result()


if __name__ == "__main__":
    print(first())
    print(second())
    print("body calls", calls)
