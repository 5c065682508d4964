"""An async task exceeding timeout_seconds is cancelled and ends TimedOut; the async flow continues.

Exercises timeout_seconds on async tasks."""
import asyncio

from prefect import flow, task


@task(timeout_seconds=1)
async def slow():
    await asyncio.sleep(10)


@flow
async def main():
    s = await slow(return_state=True)
    print(s.type.value, s.name)
    return "flow continued"


if __name__ == "__main__":
    print(asyncio.run(main()))
