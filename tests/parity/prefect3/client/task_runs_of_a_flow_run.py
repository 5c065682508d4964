"""read_task_runs filtered by flow run id (TaskRunFilter, TaskRunFilterFlowRunId): each
task run with its state, counted per task name."""

from collections import Counter

from prefect import flow, get_client, task
from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterFlowRunId
from prefect.runtime import flow_run


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def shout(text: str) -> str:
    return text.upper()


@flow
def pipeline() -> str:
    total = add(1, 2)
    add(total, 3)
    shout("hi")
    return flow_run.id


run_id = pipeline()
with get_client(sync_client=True) as client:
    task_runs = client.read_task_runs(task_run_filter=TaskRunFilter(flow_run_id=TaskRunFilterFlowRunId(any_=[run_id])))
    print(len(task_runs))
    print(sorted(Counter(tr.name.rsplit("-", 1)[0] for tr in task_runs).items()))
    print(sorted({(tr.state_type.value, tr.state_name) for tr in task_runs}))
    print(all(str(tr.flow_run_id) == run_id for tr in task_runs))
    print(all(tr.run_count == 1 for tr in task_runs))
