"""The async context manager prefect.concurrency.asyncio.concurrency works in async tasks gathered concurrently.

Exercises async with concurrency(...) and await rate_limit(...) on limits that were never created."""
import asyncio

from prefect import flow, task
from prefect.concurrency.asyncio import concurrency, rate_limit


@task
async def job(i: int) -> int:
    async with concurrency("parity-async-missing", occupy=1):
        await rate_limit("parity-async-rate-missing")
        return i * i


@flow
async def main():
    print(list(await asyncio.gather(*[job(i) for i in range(4)])))


if __name__ == "__main__":
    asyncio.run(main())
