"""Reading objects that do not exist raises prefect.exceptions.ObjectNotFound, from the
async and the sync client alike."""

import asyncio
import uuid

from prefect import get_client
from prefect.exceptions import ObjectNotFound


async def main() -> None:
    async with get_client() as client:
        for read in (
            lambda: client.read_flow_run(uuid.uuid4()),
            lambda: client.read_deployment_by_name("client-parity-no-such-flow/none"),
            lambda: client.read_task_run(uuid.uuid4()),
        ):
            try:
                await read()
            except ObjectNotFound as exc:
                print("ObjectNotFound", isinstance(exc, Exception))


asyncio.run(main())

with get_client(sync_client=True) as client:
    try:
        client.read_flow_run(uuid.uuid4())
    except ObjectNotFound:
        print("sync ObjectNotFound")
