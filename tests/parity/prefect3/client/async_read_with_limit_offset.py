"""The async client pages flow runs with sort, limit and offset (FlowRunSort.NAME_ASC)."""

import asyncio

from prefect import flow, get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
from prefect.client.schemas.sorting import FlowRunSort
from prefect.runtime import flow_run


@flow(flow_run_name="page-{i}")
def numbered(i: int) -> str:
    return flow_run.id


async def main() -> None:
    ids = [numbered(i) for i in range(5)]
    async with get_client() as client:
        mine = FlowRunFilter(id=FlowRunFilterId(any_=ids))
        first = await client.read_flow_runs(flow_run_filter=mine, sort=FlowRunSort.NAME_ASC, limit=2)
        rest = await client.read_flow_runs(flow_run_filter=mine, sort=FlowRunSort.NAME_ASC, limit=10, offset=2)
        backwards = await client.read_flow_runs(flow_run_filter=mine, sort=FlowRunSort.NAME_DESC, limit=1)
    print([r.name for r in first])
    print([r.name for r in rest])
    print([r.name for r in backwards])


if __name__ == "__main__":
    asyncio.run(main())
