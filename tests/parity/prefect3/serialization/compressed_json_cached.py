"""The "compressed/json" serializer also round-trips a cached result through storage.

Exercises result_serializer="compressed/json" with caching."""
from prefect import flow, task
from prefect.cache_policies import INPUTS


@task(cache_policy=INPUTS, persist_result=True, result_serializer="compressed/json")
def words(n: int) -> dict:
    return {"n": n, "words": ["w"] * n}


@flow
def main():
    for _ in range(2):
        s = words(3, return_state=True)
        print(s.name, s.result())


if __name__ == "__main__":
    main()
