"""prefect.futures.wait returns (done, not_done); with no timeout everything ends up done.

Exercises prefect.futures.wait (Prefect API: futures)."""
from prefect import flow, task
from prefect.futures import wait


@task
def value(i: int) -> int:
    if i == 2:
        raise RuntimeError("two")
    return i


@flow
def run():
    futures = [value.submit(i) for i in range(4)]
    done, not_done = wait(futures)
    print(len(done), len(not_done))
    print(sorted(f.state.type.value for f in done))
    return "waited"


print(run())
