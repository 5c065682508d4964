"""wait_for makes a task wait for others it takes no data from.

Exercises Task.submit(wait_for=[...]) (Prefect docs: tasks, "wait_for")."""
import time

from prefect import flow, task

events = []


@task
def slow_setup():
    time.sleep(0.3)
    events.append("setup done")


@task
def use():
    events.append("use ran")
    return "used"


@flow
def run():
    setup = slow_setup.submit()
    result = use.submit(wait_for=[setup])
    return result.result()


print(run())
print(events)
