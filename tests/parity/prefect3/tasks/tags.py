"""Task tags come from the decorator, from with_options and from a surrounding tags() block.

Exercises @task(tags=...), prefect.tags and prefect.runtime.task_run.tags (Prefect docs: tags)."""
from prefect import flow, tags, task
from prefect.runtime import task_run


@task(tags=["db"])
def query():
    return sorted(task_run.tags)


@flow
def run():
    print(query())
    with tags("nightly", "eu"):
        print(query())
        print(query.with_options(tags=["other"])())
    print(query())


run()
