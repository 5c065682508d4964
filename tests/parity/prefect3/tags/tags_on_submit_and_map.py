"""Tags from a tags() block reach submitted and mapped task runs too.

Exercises prefect.tags with Task.submit and Task.map."""
from prefect import flow, tags, task
from prefect.runtime import task_run


@task
def tagged(i: int):
    return i, sorted(task_run.tags)


@flow
def main():
    with tags("batch"):
        f = tagged.submit(0)
        m = tagged.map([1, 2])
    print(f.result())
    print(m.result())


if __name__ == "__main__":
    main()
