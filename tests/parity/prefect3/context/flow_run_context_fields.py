"""FlowRunContext carries the flow object and flow_run with its parameters; TaskRunContext carries the task and parameters.

Exercises fields of the run context models."""
from prefect import flow, task
from prefect.context import FlowRunContext, TaskRunContext


@task
def t(a, b=2):
    ctx = TaskRunContext.get()
    print("task", ctx.task.name, dict(ctx.parameters))


@flow
def my_flow(x: int):
    ctx = FlowRunContext.get()
    print("flow", ctx.flow.name, dict(ctx.flow_run.parameters))
    t(x)


if __name__ == "__main__":
    my_flow(10)
