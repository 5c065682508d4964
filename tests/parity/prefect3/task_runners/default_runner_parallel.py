"""The default task runner runs submitted tasks concurrently: two tasks that wait for each other finish.

Exercises the default ThreadPoolTaskRunner's concurrency (Prefect docs: task runners)."""
import threading

from prefect import flow, task

a_started = threading.Event()
b_started = threading.Event()


@task
def a():
    a_started.set()
    return b_started.wait(10)


@task
def b():
    b_started.set()
    return a_started.wait(10)


@flow
def run():
    fa, fb = a.submit(), b.submit()
    return fa.result(), fb.result()


print(run())
