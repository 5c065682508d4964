"""Task retries: the attempt count seen through runtime, the final state, and which hooks
run (on_failure only after the last attempt); a flow retry runs the body again."""
from prefect import flow, task
from prefect.runtime import flow_run, task_run

events = []


@task(retries=2, retry_delay_seconds=0)
def flaky():
    events.append(f"attempt {task_run.run_count}")
    if task_run.run_count < 3:
        raise ValueError("not yet")
    return "ok"


@task(retries=1, retry_delay_seconds=0)
def hopeless():
    events.append(f"hopeless attempt {task_run.run_count}")
    raise RuntimeError("never")


@hopeless.on_failure
def on_fail(tsk, run, state):
    events.append(f"failure hook {state.type.value}")


@flow(retries=1, retry_delay_seconds=0)
def retried_flow():
    events.append(f"flow attempt {flow_run.run_count}")
    if flow_run.run_count < 2:
        raise ValueError("first flow attempt fails")
    return flaky()


print(retried_flow())
s = hopeless(return_state=True)
print(s.type.value, s.name)
for e in events:
    print(e)
