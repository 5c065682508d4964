"""prefect.context in async flows and tasks, in submitted and mapped task runs, through
`import prefect` + `prefect.context...`, and TagsContext with `tags()`.
(Prefect 3 API reference: prefect.context.)"""
import asyncio

import prefect
from prefect import flow, tags, task
from prefect.context import TagsContext, TaskRunContext


@task(task_run_name="item-{i}")
def item(i: int) -> str:
    ctx = prefect.context.get_run_context()
    return f"{ctx.task_run.name} params={ctx.parameters} tags={sorted(ctx.task_run.tags)}"


@task
async def async_task(x: int) -> str:
    ctx = TaskRunContext.get()
    await asyncio.sleep(0)
    return f"async task {ctx.task.name} x={ctx.parameters['x']}"


@flow
async def async_flow() -> list:
    ctx = prefect.context.get_run_context()
    out = [f"async flow {ctx.flow.name} type={type(ctx).__name__}"]
    out.append(await async_task(7))
    return out


@flow
def sync_flow() -> None:
    print("submitted:", item.submit(1).result())
    with tags("batch"):
        print("current tags:", sorted(TagsContext.get().current_tags))
        for line in item.map([2, 3]).result():
            print("mapped:", line)
    print("tags after block:", sorted(TagsContext.get().current_tags))


print("\n".join(asyncio.run(async_flow())))
sync_flow()
print("outside:", sorted(TagsContext.get().current_tags))
