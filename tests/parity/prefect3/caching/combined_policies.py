"""Policies combine with +: INPUTS + TASK_SOURCE caches across separate flow runs for equal inputs.

Exercises policy composition (CompoundCachePolicy) in prefect.cache_policies."""
from prefect import flow, task
from prefect.cache_policies import INPUTS, TASK_SOURCE, CompoundCachePolicy

policy = INPUTS + TASK_SOURCE
print("compound:", isinstance(policy, CompoundCachePolicy))


@task(cache_policy=policy)
def g(x: int) -> int:
    return x * x


@flow
def main(x: int):
    s = g(x, return_state=True)
    return s.name, s.result()


if __name__ == "__main__":
    print(main(4))
    print(main(4))
    print(main(5))
