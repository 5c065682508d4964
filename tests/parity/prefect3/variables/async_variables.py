"""The async twins aset / aget / aunset, and get / set / unset inside an async flow,
where they return coroutines to await (async dispatch)."""

import asyncio

from prefect import flow
from prefect.variables import Variable

NAME = "parity_async_var"


@flow
async def configure() -> list:
    seen = []
    await Variable.aunset(NAME)
    stored = await Variable.aset(NAME, {"rows": 3}, tags=["a"])
    seen.append((type(stored).__name__, stored.value, stored.tags))
    seen.append(await Variable.aget(NAME))
    seen.append(await Variable.get(NAME))
    updated = await Variable.set(NAME, 4, overwrite=True)
    seen.append(updated.value)
    seen.append(await Variable.aget("parity_async_missing", default="d"))
    seen.append(await Variable.unset(NAME))
    seen.append(await Variable.aunset(NAME))
    return seen


for item in asyncio.run(configure()):
    print(item)


async def outside_a_flow() -> None:
    await Variable.aset(NAME, "x")
    print("coroutine outside a flow:", asyncio.iscoroutine(pending := Variable.get(NAME)))
    print(await pending, await Variable.aunset(NAME))


asyncio.run(outside_a_flow())
