"""Async hooks are awaited; a hook that raises leaves the run's state unchanged and the
next hook still runs; on_running sees a Running state."""
from prefect import flow, task

events = []


async def async_hook(obj, run, state):
    events.append(f"async hook {state.name}")


def broken_hook(obj, run, state):
    events.append("broken hook")
    raise RuntimeError("hook failed")


def after_hook(obj, run, state):
    events.append("after hook")


def running_hook(obj, run, state):
    events.append(f"running hook {state.type.value}")


@task(on_completion=[async_hook, broken_hook, after_hook], on_running=[running_hook])
def work():
    return 1


@flow(on_completion=[async_hook])
async def async_flow():
    return 2


@flow
def main():
    s = work(return_state=True)
    return s.type.value


print(main())
import asyncio

print(asyncio.run(async_flow()))
for e in events:
    print(e)
