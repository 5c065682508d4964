"""Inside a subflow, runtime.flow_run.parent_flow_run_id is set and differs from its own id; at top level it is None.

Exercises prefect.runtime.flow_run ids across subflows (docs: runtime context)."""
from prefect import flow
from prefect.runtime import flow_run

seen = {}


@flow
def child():
    seen["child_id"] = flow_run.id
    seen["child_parent"] = flow_run.parent_flow_run_id
    seen["child_root"] = flow_run.root_flow_run_id


@flow
def parent():
    seen["parent_id"] = flow_run.id
    seen["parent_parent"] = flow_run.parent_flow_run_id
    seen["parent_root"] = flow_run.root_flow_run_id
    child()


if __name__ == "__main__":
    parent()
    print("parent has no parent:", seen["parent_parent"] is None)
    print("child has a parent:", seen["child_parent"] is not None)
    print("child's parent is the parent run:", str(seen["child_parent"]) == str(seen["parent_id"]))
    print("child id differs from parent id:", seen["child_id"] != seen["parent_id"])
    print("parent root is itself:", str(seen["parent_root"]) == str(seen["parent_id"]))
    print("child root is parent:", str(seen["child_root"]) == str(seen["parent_id"]))
