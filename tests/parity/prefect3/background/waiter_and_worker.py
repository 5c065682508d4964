"""Background tasks with a `TaskWorker` started in async code: an async task served,
its runs waited for with `TaskRunWaiter.wait_for_task_run`, then the worker stopped."""

import asyncio

from prefect import task
from prefect.task_runs import TaskRunWaiter
from prefect.task_worker import TaskWorker


@task
async def square(x: int) -> int:
    await asyncio.sleep(0.01)
    return x * x


async def main() -> None:
    worker = TaskWorker(square, limit=2)
    serving = asyncio.create_task(worker.start(timeout=20))
    futures = [square.delay(i) for i in range(4)]
    states = [await TaskRunWaiter.wait_for_task_run(f.task_run_id, timeout=60) for f in futures]
    print([s.type.value for s in states])
    print([await asyncio.to_thread(f.result, 60) for f in futures])
    print(worker.limit)
    serving.cancel()
    try:
        await serving
    except asyncio.CancelledError:
        pass
    print("stopped")


if __name__ == "__main__":
    asyncio.run(main())
