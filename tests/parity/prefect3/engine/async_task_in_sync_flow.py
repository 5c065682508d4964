"""An async task called from a sync flow returns a coroutine (run it with asyncio.run);
submitted, it runs on the task runner and its future gives the value."""
import asyncio
import inspect

from prefect import flow, task


@task
async def aget(x):
    await asyncio.sleep(0)
    return x * 3


@flow
def sync_flow():
    c = aget(2)
    print("coroutine:", inspect.iscoroutine(c))
    print("run:", asyncio.run(c))
    print("submitted:", aget.submit(4).result())
    print("mapped:", aget.map([1, 2]).result())
    return "ok"


print(sync_flow())
