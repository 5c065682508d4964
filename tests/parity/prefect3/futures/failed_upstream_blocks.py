"""Without allow_failure, a task waiting for a failed upstream does not run.

Exercises wait_for with a failed upstream (Prefect docs: tasks, "wait_for")."""
from prefect import flow, task

ran = []


@task
def upstream():
    raise RuntimeError("upstream broke")


@task
def downstream():
    ran.append("downstream")
    return "should not happen"


@flow
def run():
    up = upstream.submit()
    down = downstream.submit(wait_for=[up])
    down.wait()
    print(down.state.type.value, down.state.name)
    return "flow done"


state = run(return_state=True)
print(ran)
print(state.type.value)
