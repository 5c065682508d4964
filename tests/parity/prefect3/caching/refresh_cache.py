"""refresh_cache=True runs the task even when a cached value exists and replaces it.

Exercises @task(refresh_cache=True) and Task.with_options(refresh_cache=...)."""
from prefect import flow, task
from prefect.cache_policies import INPUTS

n = 0


@task(cache_policy=INPUTS)
def counter(key: str) -> int:
    global n
    n += 1
    return n


@flow
def main():
    a = counter("k", return_state=True)
    b = counter.with_options(refresh_cache=True)("k", return_state=True)
    c = counter("k", return_state=True)
    print(a.name, a.result())
    print(b.name, b.result())
    print(c.name, c.result())


if __name__ == "__main__":
    main()
