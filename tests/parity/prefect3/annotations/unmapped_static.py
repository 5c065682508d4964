"""unmapped() keeps a list argument whole while mapping over another argument.

Exercises prefect.unmapped with Task.map (docs: "Map tasks")."""
from prefect import flow, task, unmapped


@task
def count_in(x: int, pool: list) -> int:
    return pool.count(x)


@flow
def main():
    futs = count_in.map([1, 2, 3], unmapped([1, 1, 2, 5]))
    print(futs.result())


if __name__ == "__main__":
    main()
