"""prefect.concurrency.v1: holding tag concurrency-limit slots by hand, sync and async; the
holder shows in the limit's active slots, a full limit times out, an unlimited tag takes none."""
import asyncio
import threading
import uuid

from prefect import get_client
from prefect.concurrency.v1.asyncio import concurrency as aconcurrency
from prefect.concurrency.v1.sync import concurrency

with get_client(sync_client=True) as client:
    client.create_concurrency_limit(tag="v1-db", concurrency_limit=1)

holder = uuid.uuid4()
with concurrency("v1-db", task_run_id=holder):
    with get_client(sync_client=True) as client:
        print("held by me:", client.read_concurrency_limit_by_tag("v1-db").active_slots == [holder])
    outcome = []

    def other():
        try:
            with concurrency(["v1-db"], task_run_id=uuid.uuid4(), timeout_seconds=0.3):
                outcome.append("acquired")
        except TimeoutError:
            outcome.append("TimeoutError")

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    print("other while full:", outcome)

with get_client(sync_client=True) as client:
    print("after release:", client.read_concurrency_limit_by_tag("v1-db").active_slots)

with concurrency("v1-no-limit-here", task_run_id=uuid.uuid4()):
    print("a tag without a limit takes nothing")
with concurrency([], task_run_id=uuid.uuid4()):
    print("no names")


async def main():
    running = 0
    most = 0

    async def worker(i):
        nonlocal running, most
        async with aconcurrency("v1-db", task_run_id=uuid.uuid4()):
            running += 1
            most = max(most, running)
            await asyncio.sleep(0.05)
            running -= 1

    await asyncio.gather(*(worker(i) for i in range(3)))
    print("most at once (async):", most)


asyncio.run(main())
with get_client(sync_client=True) as client:
    client.delete_concurrency_limit_by_tag("v1-db")
