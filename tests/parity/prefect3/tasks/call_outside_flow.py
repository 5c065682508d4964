"""A task called outside any flow still runs and returns its value.

Exercises calling @task functions directly (Prefect 3 docs: tasks, "Tasks can run outside flows")."""
from prefect import task


@task
def multiply(a: int, b: int = 2) -> int:
    return a * b


print(multiply(3))
print(multiply(3, b=5))
state = multiply(4, return_state=True)
print(state.is_completed(), state.result())
