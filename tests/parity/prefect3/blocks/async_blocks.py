"""Blocks in async code: asave/aload/adelete, and save/load returning coroutines inside
an async flow (Prefect API: Block.asave, Block.aload, async dispatch)."""
import asyncio

from prefect import flow
from prefect.blocks.system import Secret


@flow
async def use_blocks():
    await Secret(value="in-flow").asave("async-secret")
    loaded = await Secret.aload("async-secret")
    print(loaded.get())
    pending = Secret.load("async-secret")
    print(asyncio.iscoroutine(pending))
    print((await pending).get())
    print(Secret.load("async-secret", _sync=True).get())
    await Secret.adelete("async-secret")
    return "done"


print(asyncio.run(use_blocks()))
