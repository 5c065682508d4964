"""State hooks attached with decorators: @task.on_completion / on_failure / on_running and
@flow.on_completion / on_failure / on_running; hooks receive (task|flow, run, state)."""
from prefect import flow, task

events = []


@task
def ok(x):
    return x


@ok.on_running
def ok_running(tsk, run, state):
    events.append(f"task running {tsk.name} {state.type.value}")


@ok.on_completion
def ok_done(tsk, run, state):
    events.append(f"task completed {tsk.name} {state.name}")


@task
def bad():
    raise ValueError("x")


@bad.on_failure
def bad_failed(tsk, run, state):
    events.append(f"task failed {tsk.name} {state.type.value}")


@flow
def good_flow():
    ok(1)
    bad(return_state=True)
    return 5


@good_flow.on_running
def flow_running(flw, run, state):
    events.append(f"flow running {flw.name}")


@good_flow.on_completion
def flow_done(flw, run, state):
    events.append(f"flow completed {flw.name} {state.result()}")


@flow
def failing_flow():
    raise RuntimeError("flow broke")


@failing_flow.on_failure
def flow_failed(flw, run, state):
    events.append(f"flow failed {flw.name} {state.message}")


print(good_flow())
failing_flow(return_state=True)
for e in events:
    print(e)
print(ok_done.__name__, callable(flow_failed))
print(len(ok.on_completion_hooks), len(good_flow.on_running_hooks), len(failing_flow.on_failure_hooks))
