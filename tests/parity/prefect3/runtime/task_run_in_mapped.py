"""In mapped task runs, task_run.parameters hold each element's value; names share the task name prefix.

Exercises prefect.runtime.task_run within Task.map."""
from prefect import flow, task
from prefect.runtime import task_run


@task
def item(x: int):
    return (task_run.parameters["x"], task_run.name.startswith("item-"))


@flow
def main():
    return item.map([1, 2, 3]).result()


if __name__ == "__main__":
    print(main())
