"""In async flows and tasks the create_* functions return coroutines (async_dispatch); the
a-prefixed twins are always coroutines; Artifact.aget."""

import asyncio
import inspect

from prefect import flow, task
from prefect.artifacts import (
    Artifact,
    acreate_markdown_artifact,
    acreate_progress_artifact,
    acreate_table_artifact,
    aupdate_progress_artifact,
    create_markdown_artifact,
    create_link_artifact,
)


@task
async def async_task():
    pending = create_markdown_artifact("from an async task", key="parity-async-task")
    print("in async task is coroutine:", inspect.iscoroutine(pending))
    return await pending


@flow
async def async_flow():
    pending = create_link_artifact("https://example.com", key="parity-async-link")
    print("in async flow is coroutine:", inspect.iscoroutine(pending))
    await pending
    await acreate_table_artifact({"n": [1, 2]}, key="parity-async-table")
    progress = await acreate_progress_artifact(5, key="parity-async-progress")
    await aupdate_progress_artifact(progress, 60)
    await async_task()
    forced = create_markdown_artifact("forced sync", key="parity-async-forced", _sync=True)
    print("_sync=True gives:", type(forced).__name__)
    return progress


asyncio.run(async_flow())
for key in ["parity-async-link", "parity-async-table", "parity-async-progress", "parity-async-task",
            "parity-async-forced"]:
    found = asyncio.run(Artifact.aget(key))
    print(key, found.type, found.data)
