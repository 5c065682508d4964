"""Flow and task names: the default comes from the function name, name= overrides it.

Exercises @flow(name=...) / @task(name=...) and the .name attribute (Prefect docs: flows, tasks)."""
from prefect import flow, task


@task
def load_rows():
    return 1


@task(name="Custom Task")
def other():
    return 2


@flow
def my_etl_flow():
    return load_rows() + other()


@flow(name="Nightly Report")
def nightly():
    return 0


print(my_etl_flow.name)
print(nightly.name)
print(load_rows.name)
print(other.name)
print(my_etl_flow())
