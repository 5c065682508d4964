"""as_completed over a ThreadPoolTaskRunner's futures yields them as they finish;
with staggered delays and enough workers the finishing order follows the delays.

Exercises prefect.futures.as_completed with ThreadPoolTaskRunner (Prefect docs: task runners)."""
import threading

from prefect import flow, task
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

events = {i: threading.Event() for i in range(3)}


@task
def ordered(i: int) -> int:
    # Each run waits for the previous one to be released: finishing order is 0, 1, 2.
    if i > 0:
        events[i - 1].wait(10)
    return i


@flow(task_runner=ThreadPoolTaskRunner(max_workers=3))
def run():
    futures = [ordered.submit(i) for i in (2, 1, 0)]
    out = []
    for fut in as_completed(futures):
        value = fut.result()
        out.append(value)
        events[value].set()
    return out


print(run())
