"""Async instance-method tasks and flows awaited inside an async flow method."""
import asyncio

from prefect import flow, task


class Service:
    def __init__(self, prefix):
        self.prefix = prefix

    @task
    async def fetch(self, key):
        await asyncio.sleep(0)
        return f"{self.prefix}:{key}"

    @flow
    async def gather(self, keys):
        return await asyncio.gather(*[self.fetch(k) for k in keys])


print(asyncio.run(Service("svc").gather(["a", "b"])))
