"""PrefectFuture.wait() blocks until the task finishes; .state then is final.

Exercises PrefectFuture.wait and .state (Prefect API: futures)."""
import threading

from prefect import flow, task

gate = threading.Event()


@task
def gated():
    gate.wait(10)
    return "through"


@flow
def run():
    fut = gated.submit()
    print("final before release:", fut.state.is_final())
    gate.set()
    fut.wait()
    print("final after wait:", fut.state.is_final(), fut.state.type.value)
    return fut.result()


print(run())
