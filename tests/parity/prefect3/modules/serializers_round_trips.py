"""prefect.serializers: PickleSerializer, JSONSerializer (typed round trips of dates, UUIDs
and pydantic models), CompressedSerializer, and a serializer object as a task's
result_serializer. (Prefect 3 API: prefect.serializers; docs: results.)"""
import datetime
import uuid
from decimal import Decimal

from pydantic import BaseModel

from prefect import flow, task
from prefect.serializers import (
    CompressedJSONSerializer,
    CompressedPickleSerializer,
    CompressedSerializer,
    JSONSerializer,
    PickleSerializer,
)


class Point(BaseModel):
    x: int
    y: int


value = {
    "when": datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc),
    "day": datetime.date(2024, 1, 2),
    "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "point": Point(x=1, y=2),
    "amount": Decimal("1.50"),
    "plain": [1, "two", None, 3.5],
}

for serializer in (PickleSerializer(), JSONSerializer(), CompressedSerializer(serializer="json"),
                   CompressedPickleSerializer(), CompressedJSONSerializer(),
                   PickleSerializer(picklelib="pickle")):
    back = serializer.loads(serializer.dumps(value))
    print(serializer.type, "round trip equal:", back == value,
          "types:", sorted({k: type(v).__name__ for k, v in back.items()}.items()))

print("json bytes:", isinstance(JSONSerializer().dumps({"a": 1}), bytes))
print("plain json:", JSONSerializer(object_encoder=None).loads(JSONSerializer(object_encoder=None).dumps({"a": [1]})))
try:
    JSONSerializer(object_encoder=None).dumps({"d": datetime.date(2024, 1, 1)})
except TypeError:
    print("plain json refuses a date: TypeError")
try:
    PickleSerializer(picklelib="no_such_pickle_lib")
except ValueError:
    print("unknown picklelib: ValueError")


@task(result_serializer=JSONSerializer(), persist_result=True, result_storage_key="point.json")
def make_point() -> Point:
    return Point(x=3, y=4)


@flow
def pipeline() -> Point:
    return make_point()


print("task with a serializer object:", pipeline())
