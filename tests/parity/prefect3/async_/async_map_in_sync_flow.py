"""Mapping an async task from a sync flow: each element runs and results come back in order.

Exercises Task.map on an async function called from synchronous flow code."""
import asyncio

from prefect import flow, task


@task
async def shout(word: str) -> str:
    await asyncio.sleep(0.01)
    return word.upper()


@flow
def main():
    print(shout.map(["a", "b", "c"]).result())


if __name__ == "__main__":
    main()
