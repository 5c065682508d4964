"""Several decorator hooks on one task run in the order they were attached, after hooks
given in @task(on_completion=[...]); with_options keeps them."""
from prefect import flow, task

order = []


def from_option(tsk, run, state):
    order.append("option")


@task(on_completion=[from_option])
def work():
    return 1


@work.on_completion
def first(tsk, run, state):
    order.append("first")


@work.on_completion
def second(tsk, run, state):
    order.append("second")


@flow
def main():
    work()
    work.with_options(name="renamed")()


main()
print(order)
