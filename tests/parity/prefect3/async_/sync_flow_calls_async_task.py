"""A sync flow calling an async task gets back a coroutine, which the flow can run itself.

Exercises mixing sync flows with async tasks (the call is not awaited for you)."""
import asyncio
import inspect

from prefect import flow, task


@task
async def fetch(x: int) -> str:
    await asyncio.sleep(0)
    return f"value-{x}"


@flow
def main():
    r = fetch(7)
    print("is coroutine", inspect.iscoroutine(r))
    print("result", asyncio.run(r))


if __name__ == "__main__":
    main()
