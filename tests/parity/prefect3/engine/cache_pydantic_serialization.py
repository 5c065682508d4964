"""Cache keys of pydantic inputs follow the model's serialisation: a field excluded from
dumps does not change the key, a field_serializer's output is what counts, and two model
classes with equal data still differ (INPUTS policy, Prefect's hash of the dumped model)."""
from pydantic import BaseModel, Field, field_serializer

from prefect import flow, task
from prefect.cache_policies import INPUTS


class Query(BaseModel):
    text: str
    trace_id: str = Field(default="", exclude=True)
    ratio: float = 0.0

    @field_serializer("ratio")
    def _round(self, value: float) -> float:
        return round(value, 1)


class OtherQuery(BaseModel):
    text: str
    ratio: float = 0.0


calls = []


@task(cache_policy=INPUTS)
def search(q):
    calls.append(q.text)
    return q.text.upper()


@flow
def main():
    names = []
    for q in (
        Query(text="a", trace_id="1"),
        Query(text="a", trace_id="2"),
        Query(text="a", trace_id="3", ratio=0.01),
        Query(text="a", ratio=0.5),
        OtherQuery(text="a"),
    ):
        names.append(search(q, return_state=True).name)
    return names


print(main())
print(calls)
