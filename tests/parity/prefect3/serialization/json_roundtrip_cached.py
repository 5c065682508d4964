"""With result_serializer="json", a cached result read back from storage comes out JSON-shaped (a tuple becomes a list).

Exercises @task(result_serializer="json") with caching (docs: "Configure results", serializers)."""
from prefect import flow, task
from prefect.cache_policies import INPUTS


@task(cache_policy=INPUTS, persist_result=True, result_serializer="json")
def pair(x: int):
    return (x, x + 1)


@flow
def main():
    first = pair(1, return_state=True)
    second = pair(1, return_state=True)
    print(first.name, type(first.result()).__name__, first.result())
    print(second.name, type(second.result()).__name__, second.result())


if __name__ == "__main__":
    main()
