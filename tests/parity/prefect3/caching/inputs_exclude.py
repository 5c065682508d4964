"""INPUTS - "name" excludes one argument from the key, so changing it alone still hits the cache.

Exercises subtraction on cache policies (Inputs.exclude)."""
from prefect import flow, task
from prefect.cache_policies import INPUTS


@task(cache_policy=INPUTS - "verbose")
def total(values: list, verbose: bool = False) -> int:
    return sum(values)


@flow
def main():
    a = total([1, 2, 3], verbose=False, return_state=True)
    b = total([1, 2, 3], verbose=True, return_state=True)
    c = total([1, 2, 4], verbose=True, return_state=True)
    print(a.name, b.name, c.name)
    print(a.result(), b.result(), c.result())


if __name__ == "__main__":
    main()
