"""Async subflows gathered concurrently from an async parent flow; results in gather order.

Exercises running async subflows concurrently with asyncio.gather."""
import asyncio

from prefect import flow


@flow
async def child(n: int) -> int:
    await asyncio.sleep(0.01 * (3 - n))
    return n * 10


@flow
async def parent():
    results = await asyncio.gather(child(1), child(2), child(3))
    print("children", list(results))


if __name__ == "__main__":
    asyncio.run(parent())
