"""Subflows keep their own flow names and a custom flow_run_name template.

Exercises @flow(name=..., flow_run_name=...) and runtime.flow_run.name / flow_name in subflows."""
from prefect import flow
from prefect.runtime import flow_run


@flow(name="Child Flow", flow_run_name="child-{n}")
def child(n: int):
    return flow_run.flow_name, flow_run.name


@flow(name="Parent Flow")
def parent():
    print("parent flow name", flow_run.flow_name)
    for n in (1, 2):
        print("child", child(n))


if __name__ == "__main__":
    parent()
