"""An awaited async subflow that fails raises in the async parent; the parent can recover and complete.

Exercises failure of async subflows."""
import asyncio

from prefect import flow


@flow
async def child():
    raise LookupError("not found")


@flow
async def parent():
    try:
        await child()
    except LookupError as exc:
        print("parent caught", type(exc).__name__, exc)
    return "recovered"


if __name__ == "__main__":
    s = asyncio.run(parent(return_state=True))
    print(s.name)
