"""Mapping over an empty list creates no task runs and yields an empty result list.

Exercises Task.map([]) (Prefect docs: tasks, "Map")."""
from prefect import flow, task

calls = []


@task
def never(x):
    calls.append(x)
    return x


@flow
def run():
    futures = never.map([])
    print(len(futures), futures.result())
    return calls


print(run())
