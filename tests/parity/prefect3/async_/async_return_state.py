"""Awaiting an async task with return_state=True gives a State; a failed one is Failed.

Exercises return_state for async tasks and async flows."""
import asyncio

from prefect import flow, task


@task
async def ok():
    return 1


@task
async def bad():
    raise RuntimeError("nope")


@flow
async def main():
    s1 = await ok(return_state=True)
    s2 = await bad(return_state=True)
    print("ok", s1.type.value, s1.name, s1.is_completed())
    print("bad", s2.type.value, s2.name, s2.is_failed())
    print("ok result", await s1.result())
    return "fine"


if __name__ == "__main__":
    state = asyncio.run(main(return_state=True))
    print("flow", state.name)
