"""In an async flow, a submitted async task's future gives its result with .result(); the state's result can be awaited.

Exercises PrefectFuture.result() and State.result() from async code."""
import asyncio
import inspect

from prefect import flow, task


@task
async def value(x: int) -> int:
    await asyncio.sleep(0)
    return x * 5


@flow
async def main():
    fut = value.submit(2)
    r = fut.result()
    print("future result awaitable:", inspect.isawaitable(r))
    print("future result:", r)
    state = await value(3, return_state=True)
    res = state.result()
    print("state result awaitable:", inspect.isawaitable(res))
    print("state result:", await res if inspect.isawaitable(res) else res)


if __name__ == "__main__":
    asyncio.run(main())
