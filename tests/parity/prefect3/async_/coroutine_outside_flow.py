"""An async task or flow called with no event loop returns a coroutine that must be awaited.

Exercises calling async tasks outside of a flow (docs: tasks can run outside flows)."""
import asyncio
import inspect

from prefect import flow, task


@task
async def add(a: int, b: int) -> int:
    return a + b


@flow
async def af(x: int) -> int:
    return x + 100


if __name__ == "__main__":
    coro = add(1, 2)
    print("task call is coroutine:", inspect.iscoroutine(coro))
    print("awaited:", asyncio.run(coro))
    fcoro = af(5)
    print("flow call is coroutine:", inspect.iscoroutine(fcoro))
    print("flow awaited:", asyncio.run(fcoro))
