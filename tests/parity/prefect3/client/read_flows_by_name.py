"""read_flows with FlowFilterName (any_ and like_), read_flow_by_name, and flows
created by running them."""

import asyncio

from prefect import flow, get_client
from prefect.client.schemas.filters import FlowFilter, FlowFilterName
from prefect.client.schemas.sorting import FlowSort


@flow(name="client-parity-extract")
def extract() -> int:
    return 1


@flow(name="client-parity-load")
def load() -> int:
    return 2


extract()
load()


async def main() -> None:
    async with get_client() as client:
        flows = await client.read_flows(flow_filter=FlowFilter(name=FlowFilterName(like_="client-parity-")),
                                        sort=FlowSort.NAME_ASC)
        names = [f.name for f in flows]
        print([n for n in names if n in ("client-parity-extract", "client-parity-load")])
        one = await client.read_flows(flow_filter=FlowFilter(name=FlowFilterName(any_=["client-parity-load"])))
        print([f.name for f in one])
        by_name = await client.read_flow_by_name("client-parity-extract")
        print(by_name.name, by_name.id == flows[names.index("client-parity-extract")].id)


asyncio.run(main())
