"""A task's own tags merge with the tags of enclosing tags() blocks, nested blocks adding more.

Exercises @task(tags=...) combined with nested prefect.tags contexts."""
from prefect import flow, tags, task
from prefect.runtime import task_run


@task(tags=["own"])
def t():
    return sorted(task_run.tags)


@flow
def main():
    print("plain", t())
    with tags("outer"):
        print("outer", t())
        with tags("inner", "x"):
            print("nested", t())


if __name__ == "__main__":
    main()
