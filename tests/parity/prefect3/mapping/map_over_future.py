"""map accepts futures: a list of futures maps element-wise; a future of a list is mapped over its value.

Exercises Task.map over PrefectFuture inputs (Prefect docs: tasks, "Map")."""
from prefect import flow, task


@task
def make_list(n: int) -> list:
    return list(range(n))


@task
def inc(x: int) -> int:
    return x + 1


@flow
def run():
    futures = [inc.submit(i) for i in range(3)]
    print(inc.map(futures).result())
    print(inc.map(make_list.submit(4)).result())
    print(inc.map(inc.map([10, 20])).result())


run()
