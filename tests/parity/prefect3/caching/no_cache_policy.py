"""cache_policy=NO_CACHE: every call runs and no state is Cached.

Exercises prefect.cache_policies.NO_CACHE."""
from prefect import flow, task
from prefect.cache_policies import NO_CACHE

count = 0


@task(cache_policy=NO_CACHE)
def work(x: int) -> int:
    global count
    count += 1
    return x


@flow
def main():
    names = [work(5, return_state=True).name for _ in range(3)]
    print(names, "runs:", count)


if __name__ == "__main__":
    main()
