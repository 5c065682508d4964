"""Task.map and Task.submit outside any flow have no task runner: Prefect raises RuntimeError
(it suggests deferred=True), while a plain call still runs.

Exercises Task.map / Task.submit without a flow (Prefect 3 API: Task.map)."""
from prefect import task


@task
def cube(x: int) -> int:
    return x ** 3


for label, attempt in (("map", lambda: cube.map([1, 2, 3])), ("submit", lambda: cube.submit(2))):
    try:
        result = attempt()
        print(label, "returned", type(result).__name__)
    except RuntimeError:
        print(label, "raised RuntimeError")
print("call", cube(2))
