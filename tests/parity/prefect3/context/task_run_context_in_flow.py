"""In a flow body, TaskRunContext.get() is None; in a task, FlowRunContext.get() still gives the flow run.

Exercises how contexts nest in Prefect 3."""
from prefect import flow, task
from prefect.context import FlowRunContext, TaskRunContext


@task
def t():
    fctx = FlowRunContext.get()
    return fctx is not None and fctx.flow.name == "outer"


@flow(name="outer")
def main():
    print("task ctx in flow body is None:", TaskRunContext.get() is None)
    print("flow ctx seen from task:", t())


if __name__ == "__main__":
    main()
