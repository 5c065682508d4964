"""prefect.context: get_run_context(), FlowRunContext.get() and TaskRunContext.get()
inside flows, tasks and subflows, and outside any run (Prefect 3 API reference: prefect.context)."""
from uuid import UUID

from prefect import flow, task
from prefect.context import FlowRunContext, TaskRunContext, get_run_context


@task(task_run_name="inspect-{x}", tags=["t1"])
def inspect_task(x: int) -> str:
    ctx = get_run_context()
    print("task ctx type:", type(ctx).__name__)
    print("task name:", ctx.task.name)
    print("task run name:", ctx.task_run.name)
    print("task parameters:", ctx.parameters)
    print("task run_count:", ctx.task_run.run_count)
    print("task tags:", sorted(ctx.task_run.tags))
    print("task id is UUID:", isinstance(ctx.task_run.id, UUID))
    flow_ctx = FlowRunContext.get()
    print("flow ctx inside task:", flow_ctx is not None)
    print("same flow run:", ctx.task_run.flow_run_id == flow_ctx.flow_run.id)
    print("TaskRunContext.get() is a TaskRunContext:", isinstance(TaskRunContext.get(), TaskRunContext))
    return ctx.task_run.name


@flow(flow_run_name="child-run")
def child():
    ctx = get_run_context()
    print("child ctx type:", type(ctx).__name__)
    print("child flow name:", ctx.flow.name)
    print("child run name:", ctx.flow_run.name)
    print("child has parent task run:", ctx.flow_run.parent_task_run_id is not None)


@flow(flow_run_name="parent-run-{n}")
def parent(n: int = 2):
    ctx = get_run_context()
    print("flow ctx type:", type(ctx).__name__)
    print("flow name:", ctx.flow.name)
    print("flow run name:", ctx.flow_run.name)
    print("flow parameters:", ctx.parameters)
    print("flow run parameters:", ctx.flow_run.parameters)
    print("flow run_count:", ctx.flow_run.run_count)
    print("TaskRunContext in flow:", TaskRunContext.get())
    print("top level has no parent:", ctx.flow_run.parent_task_run_id)
    print("returned:", inspect_task(n))
    child()
    return n


print("outside FlowRunContext:", FlowRunContext.get())
print("outside TaskRunContext:", TaskRunContext.get())
try:
    get_run_context()
except RuntimeError as exc:
    print("outside get_run_context:", type(exc).__name__)
print("result:", parent())
