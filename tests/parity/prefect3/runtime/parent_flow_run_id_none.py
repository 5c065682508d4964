"""flow_run.parent_flow_run_id is None for a top-level flow and set for a subflow; task_run.id is None in a flow body.

Exercises prefect.runtime parent/child relations printed as booleans."""
from prefect import flow
from prefect.runtime import flow_run, task_run


@flow
def child():
    return flow_run.parent_flow_run_id is not None


@flow
def top():
    print("top parent is None", flow_run.parent_flow_run_id is None)
    print("task_run.id in flow body is None", task_run.id is None)
    print("child sees parent", child())


if __name__ == "__main__":
    top()
