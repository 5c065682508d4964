"""as_completed yields each future once, as it finishes; sorting makes the output stable.

Exercises prefect.futures.as_completed (Prefect API: futures)."""
import time

from prefect import flow, task
from prefect.futures import as_completed


@task
def nap(i: int) -> int:
    time.sleep(0.02 * i)
    return i * i


@flow
def run():
    futures = [nap.submit(i) for i in range(5)]
    seen = [f.result() for f in as_completed(futures)]
    print(len(seen), sorted(seen))
    return "ok"


print(run())
