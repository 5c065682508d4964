"""read_flow_runs with a state-type filter and a sort (prefect.client.orchestration,
prefect.client.schemas.filters): only the completed runs of this program come back."""

import asyncio

from prefect import flow, get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.client.schemas.sorting import FlowRunSort
from prefect.runtime import flow_run


@flow
def square(x: int) -> str:
    if x == 3:
        raise ValueError("three is not allowed")
    return flow_run.id


def run_all() -> list:
    ids = []
    for x in (1, 2, 3, 4):
        state = square(x, return_state=True)
        ids.append(state.result() if state.is_completed() else None)
    return [i for i in ids if i is not None]


async def main(mine: list) -> None:
    async with get_client() as client:
        runs = await client.read_flow_runs(
            flow_run_filter=FlowRunFilter(
                id=FlowRunFilterId(any_=mine),
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED])),
            ),
            sort=FlowRunSort.START_TIME_ASC,
        )
    print(len(runs))
    print([r.parameters["x"] for r in runs])
    print([(r.state_type.value, r.state_name, r.state.is_completed()) for r in runs][0])


asyncio.run(main(run_all()))
