"""get_run_context() returns a FlowRunContext in a flow body and a TaskRunContext in a task.

Exercises prefect.context.get_run_context, FlowRunContext, TaskRunContext (docs: runtime context)."""
from prefect import flow, task
from prefect.context import FlowRunContext, TaskRunContext, get_run_context


@task
def t():
    ctx = get_run_context()
    print("task ctx is TaskRunContext:", isinstance(ctx, TaskRunContext))
    print("task name via ctx:", ctx.task.name)


@flow(name="ctx-flow")
def main():
    ctx = get_run_context()
    print("flow ctx is FlowRunContext:", isinstance(ctx, FlowRunContext))
    print("flow name via ctx:", ctx.flow.name)
    t()


if __name__ == "__main__":
    main()
