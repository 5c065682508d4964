"""Task.with_options(tags=...) gives a copy with new tags; the original task keeps its own.

Exercises Task.with_options(tags=...) and Task.tags."""
from prefect import flow, task
from prefect.runtime import task_run


@task(tags=["base"])
def t():
    return sorted(task_run.tags)


@flow
def main():
    other = t.with_options(tags=["replaced", "more"])
    print("original task tags", sorted(t.tags))
    print("copy task tags", sorted(other.tags))
    print("original run", t())
    print("copy run", other())


if __name__ == "__main__":
    main()
