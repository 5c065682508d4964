"""wait(futures, timeout=...) returns the unfinished ones in not_done instead of blocking.

Exercises prefect.futures.wait(timeout=...) (Prefect API: futures)."""
import threading

from prefect import flow, task
from prefect.futures import wait

release = threading.Event()


@task
def blocked():
    release.wait(10)
    return "late"


@task
def quick():
    return "fast"


@flow
def run():
    slow_f = blocked.submit()
    fast_f = quick.submit()
    fast_f.wait()
    done, not_done = wait([slow_f, fast_f], timeout=0.5)
    print(len(done), len(not_done))
    release.set()
    print(slow_f.result(), fast_f.result())


run()
