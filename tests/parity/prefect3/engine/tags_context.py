"""tags() applies to task runs created inside the block (read via prefect.runtime) and
to flows called inside it; tags nest and combine with @task(tags=...)."""
from prefect import flow, tags, task
from prefect.runtime import flow_run, task_run


@task(tags=["own"])
def show(label):
    print(label, sorted(task_run.tags))


@flow
def main():
    show("none")
    with tags("a"):
        show("a")
        with tags("b"):
            show("a+b")
            show.submit("submitted").wait()
    show("after")
    print("flow tags", sorted(flow_run.tags))


with tags("outer"):
    main()
main()

