"""Background tasks: `task.delay()` / `apply_async()` queue runs that a task worker
(`prefect.task_worker.serve`, here in a thread) runs; `future.result()` waits for each,
a failure comes back as the task's exception and a Failed state."""

import threading

from prefect import task
from prefect.task_worker import serve


@task
def add(x: int, y: int) -> int:
    return x + y


@task
def refuse(word: str) -> None:
    raise ValueError(f"no {word}")


if __name__ == "__main__":
    threading.Thread(target=serve, args=(add, refuse), kwargs={"timeout": 20}, daemon=True).start()
    print(add.delay(1, 2).result(timeout=60))
    print(add.apply_async((3,), {"y": 4}).result(timeout=60))
    futures = [add.delay(i, i) for i in range(5)]
    print([future.result(timeout=60) for future in futures])
    failed = refuse.delay("way")
    try:
        failed.result(timeout=60)
    except ValueError as exc:
        print("ValueError:", exc)
    state = failed.state
    print(state.type.value, state.is_failed())
    print(failed.result(timeout=60, raise_on_failure=False))
