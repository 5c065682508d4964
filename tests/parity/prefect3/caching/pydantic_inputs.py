"""Pydantic models as task inputs are hashed by value: equal models hit the cache, different ones do not.

Exercises INPUTS hashing of pydantic BaseModel arguments."""
from pydantic import BaseModel

from prefect import flow, task
from prefect.cache_policies import INPUTS


class Point(BaseModel):
    x: int
    y: int


@task(cache_policy=INPUTS)
def norm1(p: Point) -> int:
    return abs(p.x) + abs(p.y)


@flow
def main():
    for p in (Point(x=1, y=2), Point(x=1, y=2), Point(x=2, y=1)):
        s = norm1(p, return_state=True)
        print(p.x, p.y, s.name, s.result())


if __name__ == "__main__":
    main()
