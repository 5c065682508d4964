"""Async tasks submitted from an async flow are gathered; results keep submission order.

Exercises Task.submit from async flows and awaiting futures' results (docs: concurrency with async)."""
import asyncio

from prefect import flow, task


@task
async def square(x: int) -> int:
    await asyncio.sleep(0.01 * (5 - x))
    return x * x


@flow
async def main() -> list:
    results = await asyncio.gather(*[square(i) for i in range(5)])
    print("gathered", list(results))
    return list(results)


if __name__ == "__main__":
    print("returned", asyncio.run(main()))
