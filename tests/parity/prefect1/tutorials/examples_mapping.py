"""Prefect 1 example "mapping": get_numbers -> inc.map -> add.map with unmapped(2) -> compute_sum
(log_stdout), with the default n=3 and with n=5.

Exercises Task.map, unmapped, reducing a mapped result, map_states, Parameter default.
"""
import logging
import sys

from prefect import Flow, Parameter, task, unmapped

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

logged = []


class Collect(logging.Handler):
    def emit(self, record):
        if record.getMessage().startswith("total ="):  # what the tasks print (log_stdout)
            logged.append(record.getMessage())


logging.getLogger("prefect").addHandler(Collect())


@task
def get_numbers(n):
    return range(1, n + 1)


@task
def inc(x):
    return x + 1


@task
def add(x, y):
    return x + y


@task(log_stdout=True)
def compute_sum(nums):
    total = sum(nums)
    print(f"total = {total}")
    return total


with Flow("Example: Mapping") as flow:
    # The number of branches in the mapped pipeline
    n = Parameter("n", default=3)

    # Generate the initial items to map over
    nums = get_numbers(n)  # [1, 2, 3]

    # Apply "inc" to every item in "nums"
    nums_2 = inc.map(nums)  # [2, 3, 4]

    # Apply "add" to every item in "nums_2", with 2 as the second argument.
    nums_3 = add.map(nums_2, unmapped(2))  # [4, 5, 6]

    # Compute the sum of all items in "nums_3"
    total = compute_sum(nums_3)  # 15


if __name__ == "__main__":
    state = flow.run()
    print(state.result[nums_2].result, state.result[nums_3].result, state.result[total].result)
    print(len(state.result[nums_3].map_states), type(state.result[nums_3]).__name__)
    state = flow.run(n=5)
    print(state.result[nums_3].result, state.result[total].result)
    print("logged:", logged)
