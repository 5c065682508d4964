"""cache_policy=INPUTS: a second call with the same inputs is Cached and the function body does not run again.

Exercises prefect.cache_policies.INPUTS (docs: "Configure task caching")."""
from prefect import flow, task
from prefect.cache_policies import INPUTS

calls = []


@task(cache_policy=INPUTS)
def compute(x: int) -> int:
    calls.append(x)
    return x * 3


@flow
def main():
    for x in (1, 1, 2, 1):
        s = compute(x, return_state=True)
        print(x, s.name, s.result())
    print("body ran for", calls)


if __name__ == "__main__":
    main()
