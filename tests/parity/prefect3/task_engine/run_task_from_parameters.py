"""prefect.task_engine: running a task from a parameter dict, inside and outside a flow."""
import asyncio

from prefect import flow, task
from prefect.task_engine import run_task, run_task_async, run_task_sync, run_generator_task_sync


@task
def add(x: int, y: int = 10) -> int:
    return x + y


@task
def boom(x):
    raise ValueError(f"bad {x}")


@task
async def double(x):
    return 2 * x


@task
def count(n):
    for i in range(n):
        yield i * i


print(run_task_sync(add, parameters={"x": 1}))
print(run_task_sync(add, parameters={"x": 1, "y": 2}, return_type="state").type.value)
state = run_task_sync(boom, parameters={"x": 3}, return_type="state")
print(state.type.value, state.is_failed())
try:
    run_task_sync(boom, parameters={"x": 4})
except ValueError as exc:
    print("raised", exc)
print(asyncio.run(run_task_async(double, parameters={"x": 21})))
print(list(run_generator_task_sync(count, parameters={"n": 4})))
try:
    list(run_generator_task_sync(count, parameters={"n": 4}, return_type="state"))
except ValueError as exc:
    print("ValueError", exc)
print(run_task(add, parameters={"x": 5}))
print(asyncio.run(run_task(double, parameters={"x": 5})))


@flow
def pipeline():
    a = run_task_sync(add, parameters={"x": 100})
    s = run_task_sync(boom, parameters={"x": 1}, return_type="state")
    return a, s.is_failed()


print(pipeline())
