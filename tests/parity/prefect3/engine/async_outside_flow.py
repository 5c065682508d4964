"""Async tasks and flows called outside a flow return coroutines, run with asyncio.run."""
import asyncio
import inspect

from prefect import flow, task


@task
async def atask(x):
    return x + 1


@flow
async def aflow(x):
    return await atask(x) * 2


c = atask(1)
print(inspect.iscoroutine(c))
print(asyncio.run(c))
c = aflow(2)
print(inspect.iscoroutine(c))
print(asyncio.run(c))
s = asyncio.run(aflow(3, return_state=True))
print(s.type.value)


async def main():
    print(await atask(10))
    print(await aflow(10))


asyncio.run(main())
