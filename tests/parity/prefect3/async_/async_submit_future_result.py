"""Submitting async tasks from a sync flow returns futures whose result() blocks until done.

Exercises Task.submit with async functions and PrefectFuture.result()/wait()."""
import asyncio

from prefect import flow, task


@task
async def slow_add(a: int, b: int) -> int:
    await asyncio.sleep(0.05)
    return a + b


@flow
def main():
    futs = [slow_add.submit(i, i) for i in range(4)]
    for f in futs:
        f.wait()
    print("states", [f.state.name for f in futs])
    print("results", [f.result() for f in futs])


if __name__ == "__main__":
    main()
