"""task_run_name as a template over parameters and as a callable, seen through prefect.runtime.

Exercises @task(task_run_name=...) and prefect.runtime.task_run.name (Prefect docs: tasks)."""
from prefect import flow, task
from prefect.runtime import task_run


@task(task_run_name="fetch-{city}-{day}")
def fetch(city: str, day: int) -> str:
    return task_run.name


def name_it():
    return "calc-" + str(task_run.parameters["n"])


@task(task_run_name=name_it)
def calc(n: int) -> str:
    return task_run.name


@flow
def run():
    print(fetch("paris", 3))
    print(calc(8))
    print(fetch.with_options(task_run_name="fixed")("rome", 1))


run()
