"""An async task that raises inside an async flow: the exception reaches the flow, which catches it.

Exercises exception propagation from awaited async tasks."""
import asyncio

from prefect import flow, task


@task
async def boom():
    raise ValueError("async boom")


@flow
async def main():
    try:
        await boom()
    except ValueError as exc:
        print("caught", type(exc).__name__, str(exc))
    return "done"


if __name__ == "__main__":
    print(asyncio.run(main()))
