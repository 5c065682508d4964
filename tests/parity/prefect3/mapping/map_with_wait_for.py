"""map accepts wait_for: every mapped run waits for the given futures first.

Exercises Task.map(wait_for=...) (Prefect docs: tasks, "Map", "wait_for")."""
import time

from prefect import flow, task

events = []


@task
def prepare():
    time.sleep(0.2)
    events.append("prepared")


@task
def work(i):
    events.append(f"work {i}")
    return i


@flow
def run():
    ready = prepare.submit()
    results = work.map([1, 2, 3], wait_for=[ready]).result()
    print(results)
    print(events[0], sorted(events[1:]))


run()
