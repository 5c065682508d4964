"""quote() passes a value to a task without Prefect inspecting it; the task receives the plain value.

Exercises prefect.utilities.annotations.quote."""
from prefect import flow, task
from prefect.utilities.annotations import quote


@task
def size(data):
    return type(data).__name__, len(data)


@flow
def main():
    big = {str(i): list(range(i)) for i in range(50)}
    print(size(quote(big)))
    print("unwrap", quote([1, 2]).unwrap())


if __name__ == "__main__":
    main()
