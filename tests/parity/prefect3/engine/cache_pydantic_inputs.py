"""Cache keys from inputs that are pydantic models: equal models (by their dumped
fields) hit the cache, different ones miss (Prefect's INPUTS policy hashes model_dump)."""
from pydantic import BaseModel

from prefect import flow, task
from prefect.cache_policies import INPUTS

calls = []


class Point(BaseModel):
    x: int
    y: int


@task(cache_policy=INPUTS)
def norm(p: Point):
    calls.append((p.x, p.y))
    return abs(p.x) + abs(p.y)


@flow
def main():
    a = norm(Point(x=1, y=2), return_state=True)
    b = norm(Point(x=1, y=2), return_state=True)
    c = norm(Point(x=2, y=1), return_state=True)
    return [(s.name, s.result()) for s in (a, b, c)]


print(main())
print(calls)
