"""allow_failure lets a downstream task run even though the upstream it waits for failed.

Exercises prefect.allow_failure with wait_for (Prefect docs: tasks, "allow_failure")."""
from prefect import allow_failure, flow, task

ran = []


@task
def upstream():
    raise RuntimeError("upstream broke")


@task
def cleanup():
    ran.append("cleanup")
    return "cleaned"


@flow
def run():
    up = upstream.submit()
    down = cleanup.submit(wait_for=[allow_failure(up)])
    print(down.result())
    print(up.state.type.value)
    return "flow result"


state = run(return_state=True)
print(ran)
print(state.type.value)
