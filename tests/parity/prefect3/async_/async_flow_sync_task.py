"""An async flow may call plain sync tasks directly; they return results, not coroutines.

Exercises calling sync tasks from async flows."""
import asyncio

from prefect import flow, task


@task
def add(a: int, b: int) -> int:
    return a + b


@task
async def aadd(a: int, b: int) -> int:
    return a + b


@flow
async def main():
    s = add(1, 2)
    a = await aadd(s, 10)
    print("sync task gave", s, "async task gave", a)


if __name__ == "__main__":
    asyncio.run(main())
