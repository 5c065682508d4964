"""An async flow awaits async tasks in sequence and returns their combined result.

Exercises async @flow / @task (Prefect 3 docs: "Write and run flows", async section)."""
import asyncio

from prefect import flow, task


@task
async def double(x: int) -> int:
    await asyncio.sleep(0)
    return x * 2


@flow
async def pipeline(n: int) -> int:
    a = await double(n)
    b = await double(a)
    print("a", a, "b", b)
    return b


if __name__ == "__main__":
    print("result", asyncio.run(pipeline(3)))
