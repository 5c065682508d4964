"""Each mapped run retries on its own: elements that fail more often than retries allow end Failed.

Exercises Task.map with retries (Prefect docs: tasks, "Retries", "Map")."""
from prefect import flow, task

attempts = {}


@task(retries=1)
def fragile(x: int) -> int:
    attempts[x] = attempts.get(x, 0) + 1
    if attempts[x] <= x:
        raise RuntimeError(f"{x} not yet")
    return x


@flow
def run():
    futures = fragile.map([0, 1, 2])
    futures.wait()
    print([f.state.type.value for f in futures])
    return sorted(attempts.items())


print(run())
