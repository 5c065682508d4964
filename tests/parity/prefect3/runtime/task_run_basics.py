"""prefect.runtime.task_run inside a task: task_name, name pattern, parameters, run_count, tags.

Exercises prefect.runtime.task_run attributes."""
import re

from prefect import flow, task
from prefect.runtime import task_run


@task(name="my-task", tags=["alpha"])
def work(a: int, b: int = 2):
    print("task_name", task_run.task_name)
    print("name starts with task name and a suffix", bool(re.fullmatch(r"my-task-\w+", task_run.name)))
    print("parameters", dict(task_run.parameters))
    print("run_count", task_run.run_count)
    print("tags", sorted(task_run.tags))
    print("id is str", isinstance(task_run.id, str))


@flow
def main():
    work(1)


if __name__ == "__main__":
    main()
