"""headwater.serializers: serializer objects, and as result_serializer."""

from __future__ import annotations

import datetime
import uuid

import pytest
from pydantic import BaseModel

from headwater import flow, task
from headwater.cache_policies import INPUTS
from headwater.serializers import (
    CompressedJSONSerializer,
    CompressedPickleSerializer,
    CompressedSerializer,
    JSONSerializer,
    PickleSerializer,
)


class Item(BaseModel):
    name: str
    when: datetime.date


VALUE = {"item": Item(name="a", when=datetime.date(2024, 1, 1)), "id": uuid.UUID(int=5), "n": [1, 2.5, None]}


@pytest.mark.parametrize("serializer", [
    PickleSerializer(), PickleSerializer(picklelib="pickle"), JSONSerializer(), CompressedSerializer(),
    CompressedSerializer(serializer="json", compressionlib="zlib", level=9), CompressedPickleSerializer(),
    CompressedJSONSerializer(),
], ids=repr)
def test_round_trips_keep_types(serializer):
    blob = serializer.dumps(VALUE)
    assert isinstance(blob, bytes)
    assert serializer.loads(blob) == VALUE


def test_invalid_configurations_are_refused():
    with pytest.raises(ValueError, match="cannot be imported"):
        PickleSerializer(picklelib="not_a_module_here")
    with pytest.raises(ValueError, match="no compress"):
        CompressedSerializer(compressionlib="json")
    with pytest.raises(ValueError, match="object_encoder"):
        JSONSerializer(dumps_kwargs={"default": str})
    with pytest.raises(TypeError):
        JSONSerializer(object_encoder=None).dumps({"d": datetime.date(2024, 1, 1)})


def test_a_serializer_object_caches_task_results(home, tmp_path):
    calls = []

    @task(cache_policy=INPUTS, result_serializer=CompressedJSONSerializer(), result_storage=str(tmp_path))
    def make(name: str) -> Item:
        calls.append(name)
        return Item(name=name, when=datetime.date(2024, 2, 3))

    @flow
    def pipeline() -> list[Item]:
        return [make("x"), make("x")]

    first, second = pipeline()
    assert first == second == Item(name="x", when=datetime.date(2024, 2, 3)) and calls == ["x"]
