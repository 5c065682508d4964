"""prefect.futures.PrefectFlowRunFuture and prefect.flow_runs.wait_for_flow_run: a finished flow run
read back by id; its state, its persisted result, and a failed run's exception."""
import asyncio
import uuid

from prefect import flow
from prefect.flow_runs import wait_for_flow_run
from prefect.futures import PrefectFlowRunFuture
from prefect.runtime import flow_run


@flow(persist_result=True)
def compute(n: int):
    return {"id": flow_run.id, "square": n * n}


ids = []


@flow
def broken():
    ids.append(flow_run.id)
    raise ValueError("broken on purpose")


run_id = uuid.UUID(str(compute(7)["id"]))
future = PrefectFlowRunFuture(run_id)
print(future.flow_run_id == run_id)
future.wait()
print(future.state.type.value, future.result()["square"])
done = []
future.add_done_callback(lambda f: done.append(f.flow_run_id == run_id))
print(done)
finished = asyncio.run(wait_for_flow_run(run_id, timeout=30))
print(finished.id == run_id, finished.state.is_completed())

broken(return_state=True)
failed = PrefectFlowRunFuture(uuid.UUID(str(ids[0])))
print(failed.state.type.value, failed.state.message)
try:
    failed.result()
except Exception as exc:
    print("raised", type(exc).__name__)
