"""Async flows: gather of async task calls, submitted async tasks' futures, State.result()
awaited inside an async task, and an async subflow awaited from an async parent."""
import asyncio

from prefect import flow, task


@task
async def fetch(i):
    await asyncio.sleep(0.01 * (3 - i))
    return i


@task
async def inspect_state():
    s = await fetch(1, return_state=True)
    r = s.result()
    return type(r).__name__, await r


@flow
async def child(n):
    return sum(await asyncio.gather(*[fetch(i) for i in range(n)]))


@flow
async def parent():
    futures = [fetch.submit(i) for i in range(3)]
    values = [f.result() for f in futures]
    inner = await child(3)
    return values, inner, await inspect_state()


print(asyncio.run(parent()))
