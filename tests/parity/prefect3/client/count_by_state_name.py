"""count_flow_runs and read_flow_runs with FlowRunFilterStateName (not_any_) and a
FlowRunFilterName like_ match, over runs this program makes."""

from prefect import flow, get_client
from prefect.client.schemas.filters import (
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterName,
    FlowRunFilterState,
    FlowRunFilterStateName,
)
from prefect.runtime import flow_run


@flow(flow_run_name="counted-{kind}-{n}")
def job(kind: str, n: int) -> str:
    if kind == "bad":
        raise RuntimeError("bad job")
    return flow_run.id


ids = []
for kind, n in (("good", 1), ("good", 2), ("bad", 3), ("good", 4)):
    state = job(kind, n, return_state=True)
    if state.is_completed():
        ids.append(state.result())

with get_client(sync_client=True) as client:
    mine = FlowRunFilterId(any_=ids)
    print(client.count_flow_runs(flow_run_filter=FlowRunFilter(id=mine)))
    not_completed = client.count_flow_runs(flow_run_filter=FlowRunFilter(
        id=mine, state=FlowRunFilterState(name=FlowRunFilterStateName(not_any_=["Completed"]))))
    print(not_completed)
    like = client.read_flow_runs(flow_run_filter=FlowRunFilter(id=mine, name=FlowRunFilterName(like_="good-4")))
    print([r.name for r in like])
