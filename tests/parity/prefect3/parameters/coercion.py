"""Parameters are coerced to their annotated types: int, float, bool, list[int], dict[str, int].

Exercises type coercion of flow parameters through pydantic (Prefect docs: flows, "Parameters")."""
from prefect import flow


@flow
def coerce(i: int, f: float, b: bool, li: list[int], d: dict[str, int]):
    return [(type(v).__name__, v) for v in (i, f, b, li, d)]


for row in coerce("7", "2.5", "true", ["1", "2"], {"k": "3"}):
    print(*row)
for row in coerce(1, 3, False, (4, 5), {}):
    print(*row)
