"""With the pickle serializer (the default) a cached result keeps its Python type, including user classes.

Exercises @task(result_serializer="pickle") with caching."""
from prefect import flow, task
from prefect.cache_policies import INPUTS


class Box:
    def __init__(self, v):
        self.v = v


@task(cache_policy=INPUTS, persist_result=True, result_serializer="pickle")
def make(v: int):
    return Box(v), (v, v)


@flow
def main():
    a = make(3, return_state=True)
    b = make(3, return_state=True)
    for s in (a, b):
        box, tup = s.result()
        print(s.name, type(box).__name__, box.v, type(tup).__name__)


if __name__ == "__main__":
    main()
