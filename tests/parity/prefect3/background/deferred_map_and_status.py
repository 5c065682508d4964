"""Background tasks as the "Run background tasks" how-to and the background-tasks guide
use them: `task.map(..., deferred=True)` (with `unmapped`) queues one background run per
item, `task.serve()` (here in a thread) runs them, an `on_completion` hook and a cache
policy apply, and a web handler's status check reads a run by `future.task_run_id` with
the client and takes its result from the stored state."""

import threading

from prefect import task, unmapped
from prefect.cache_policies import INPUTS, TASK_SOURCE
from prefect.client.orchestration import get_client

seen = []


def note(task, task_run, state):
    seen.append((task.name, state.result()))


@task(cache_policy=INPUTS + TASK_SOURCE, on_completion=[note])
def add(a: int, b: int) -> int:
    return a + b


def status(task_run_id):
    # The guide's get_task_result: pending, completed (with the result) or error.
    with get_client(sync_client=True) as client:
        task_run = client.read_task_run(task_run_id)
    if task_run.state is None:
        return "pending", None
    if task_run.state.is_completed():
        return "completed", task_run.state.result()
    if task_run.state.is_failed():
        return "error", "failed"
    return "pending", None


if __name__ == "__main__":
    pairs = add.map([1, 2, 3], [4, 5, 6], deferred=True)
    with_unmapped = add.map([1, 2, 3], unmapped(4), deferred=True)
    print(isinstance(pairs, list), len(pairs), len(with_unmapped))
    threading.Thread(target=add.serve, daemon=True).start()
    print(pairs.result(timeout=60))
    print(with_unmapped.result(timeout=60))
    print(sorted(seen))
    single = add.delay(10, 20)
    print(single.task_run_id == single.task_run_id, single.result(timeout=60))
    print(status(single.task_run_id))
    print([status(f.task_run_id)[0] for f in pairs])
