"""prefect.transactions in async code: `async with atransaction()`, async tasks with
on_commit / on_rollback hooks (sync and async hooks), rollback when an async task fails.
(Prefect 3 API: prefect.transactions.atransaction.)"""
import asyncio

from prefect import flow, task
from prefect.transactions import atransaction, get_transaction

events = []


@task
async def stage(name: str) -> str:
    await asyncio.sleep(0)
    get_transaction().set("name", name)
    return name


@stage.on_commit
async def committed(txn):
    await asyncio.sleep(0)
    events.append(f"commit {txn.get('name')}")


@stage.on_rollback
def rolled_back(txn):
    events.append(f"rollback {txn.get('name')}")


@task
async def explode() -> None:
    raise RuntimeError("async failure")


@flow
async def pipeline(fail: bool) -> str:
    async with atransaction() as txn:
        await stage("a")
        await stage("b")
        if fail:
            try:
                await explode()
            except RuntimeError as exc:
                events.append(f"caught {exc}")
    return txn.state.name


print("ok run:", asyncio.run(pipeline(False)), events)
events.clear()
print("failing run:", asyncio.run(pipeline(True)), events)
