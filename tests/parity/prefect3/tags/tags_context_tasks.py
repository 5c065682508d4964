"""Task runs created inside a `with tags(...)` block carry those tags; runs created after it do not.

Exercises prefect.tags as a context manager inside a flow (docs: tags)."""
from prefect import flow, tags, task
from prefect.runtime import task_run


@task
def show(label: str):
    return label, sorted(task_run.tags)


@flow
def main():
    with tags("inside"):
        print(show("in block"))
    print(show("after block"))


if __name__ == "__main__":
    main()
