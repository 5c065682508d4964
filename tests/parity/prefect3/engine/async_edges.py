"""Async edge cases: an async flow with invalid parameters and return_state, async task
retries, subflows gathered concurrently, and an async task's failure awaited."""
import asyncio

from prefect import flow, task
from prefect.runtime import task_run

attempts = []


@task(retries=2, retry_delay_seconds=0)
async def flaky():
    attempts.append(task_run.run_count)
    if task_run.run_count < 3:
        raise ValueError("again")
    return "fine"


@task
async def fails():
    raise KeyError("gone")


@flow
async def typed(n: int):
    return n


@flow
async def sub(i):
    await asyncio.sleep(0.01 * (3 - i))
    return i * i


@flow
async def main():
    s = await typed("x", return_state=True)
    print("invalid:", s.type.value)
    print(await flaky(), attempts)
    print(await asyncio.gather(*[sub(i) for i in range(3)]))
    st = await fails(return_state=True)
    print(st.type.value, type(await st.result(raise_on_failure=False)).__name__)
    try:
        await fails()
    except KeyError as exc:
        print("raised", exc)
    return "done"


print(asyncio.run(main()))
