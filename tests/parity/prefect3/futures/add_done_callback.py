"""PrefectFuture.add_done_callback calls the function with the future once the task run ends,
also when it is added after the run has finished.

Exercises PrefectFuture.add_done_callback (Prefect API: futures)."""
import threading

from prefect import flow, task

called = []
all_called = threading.Event()


@task
def value(x: int) -> int:
    if x < 0:
        raise ValueError("negative")
    return x


def note(future):
    called.append(future is not None)
    if len(called) == 3:
        all_called.set()


@flow
def run():
    ok = value.submit(1)
    ok.add_done_callback(note)
    bad = value.submit(-1)
    bad.add_done_callback(note)
    ok.wait()
    ok.add_done_callback(note)
    print("all callbacks ran:", all_called.wait(10))
    print(len(called), all(called))
    return ok.result()


print(run())
