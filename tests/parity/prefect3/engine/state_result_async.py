"""State.result() inside async flows and tasks is awaited (Prefect 3 dispatches it to the
async implementation there); inside a sync flow it returns the value directly."""
import asyncio

from prefect import flow, task


@task
async def add(a, b):
    return a + b


@task
def mul(a, b):
    return a * b


@flow
async def async_flow():
    state = await add(1, 2, return_state=True)
    value = await state.result()
    print("async flow awaited:", value)
    sstate = mul(2, 3, return_state=True)
    print("sync task state in async flow:", await sstate.result())
    fut = mul.submit(4, 5)
    print("future result:", fut.result())
    print("aresult:", await state.aresult())
    return value


@flow
def sync_flow():
    state = mul(3, 3, return_state=True)
    print("sync flow:", state.result())
    return state.result()


print(asyncio.run(async_flow()))
print(sync_flow())
s = sync_flow(return_state=True)
print(s.result())


async def main():
    s = await async_flow(return_state=True)
    print("outer awaited:", await s.result())


asyncio.run(main())
