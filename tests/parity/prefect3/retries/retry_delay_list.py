"""retry_delay_seconds as a list gives one delay per retry; only the count of runs is observed.

Exercises @task(retries=..., retry_delay_seconds=[...]) (Prefect docs: tasks, "Custom retry behavior")."""
from prefect import flow, task

calls = {"n": 0}


@task(retries=3, retry_delay_seconds=[0.1, 0.2, 0.1])
def unstable():
    calls["n"] += 1
    if calls["n"] <= 3:
        raise OSError("not yet")
    return calls["n"]


@flow
def run():
    return unstable()


print(run())
print(unstable.retry_delay_seconds)
