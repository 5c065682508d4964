"""Mapping an async task inside an async flow; futures resolve to results in input order.

Exercises Task.map on an async task and PrefectFutureList.result()."""
import asyncio

from prefect import flow, task


@task
async def inc(x: int) -> int:
    await asyncio.sleep(0)
    return x + 1


@flow
async def main():
    futures = inc.map([10, 20, 30])
    print("count", len(futures))
    print("results", futures.result())


if __name__ == "__main__":
    asyncio.run(main())
