"""tags() around a flow call applies to the flow run and to the task runs inside it.

Exercises prefect.tags outside the flow, seen from runtime.flow_run.tags and task_run.tags."""
from prefect import flow, tags, task
from prefect.runtime import flow_run, task_run


@task(tags=["t"])
def t():
    return sorted(task_run.tags)


@flow
def main():
    print("flow run tags", sorted(flow_run.tags))
    print("task run tags", t())


if __name__ == "__main__":
    with tags("deploy", "v1"):
        main()
