"""cache_expiration: a cached value is reused before it expires and recomputed after.

Exercises @task(cache_expiration=timedelta(...))."""
import time
from datetime import timedelta

from prefect import flow, task
from prefect.cache_policies import INPUTS

runs = []


@task(cache_policy=INPUTS, cache_expiration=timedelta(seconds=5))
def stamp(x: int) -> int:
    runs.append(x)
    return len(runs)


@flow
def main():
    a = stamp(1, return_state=True)
    b = stamp(1, return_state=True)
    time.sleep(6)
    c = stamp(1, return_state=True)
    print(a.name, a.result())
    print(b.name, b.result())
    print(c.name, c.result())


if __name__ == "__main__":
    main()
