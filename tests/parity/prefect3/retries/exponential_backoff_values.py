"""exponential_backoff(backoff_factor) yields doubling delays; a task using it still retries.

Exercises prefect.tasks.exponential_backoff (Prefect docs: tasks, "Exponential backoff")."""
from prefect import flow, task
from prefect.tasks import exponential_backoff

print(exponential_backoff(backoff_factor=2)(4))
print(exponential_backoff(backoff_factor=0.5)(3))
print(exponential_backoff(backoff_factor=1)(0))

count = {"n": 0}


@task(retries=2, retry_delay_seconds=exponential_backoff(backoff_factor=0.05))
def try_twice():
    count["n"] += 1
    if count["n"] < 3:
        raise RuntimeError("again")
    return "third time"


@flow
def run():
    return try_twice()


print(run(), count["n"])
print(try_twice.retry_delay_seconds)
