"""ThreadPoolTaskRunner: mapped results come back in input order even when runs finish out of order.

Exercises @flow(task_runner=ThreadPoolTaskRunner(max_workers=...)) (Prefect docs: task runners)."""
import time

from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner


@task
def delayed(i: int) -> int:
    time.sleep(0.03 * (6 - i))
    return i


@flow(task_runner=ThreadPoolTaskRunner(max_workers=4))
def run():
    return delayed.map(range(6)).result()


print(run())
