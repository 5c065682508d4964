"""Cache-key hashing: equal inputs give equal keys in any process; no id(), no order."""

from __future__ import annotations

import dataclasses
import datetime
import enum
import io
import os
import pathlib
import subprocess
import sys
import threading
import uuid
from decimal import Decimal

import pytest
from pydantic import BaseModel

from headwater.engine.hashing import UnhashableValue, hash_objects


@dataclasses.dataclass
class Point:
    x: int
    y: list[int]


class Model(BaseModel):
    name: str
    tags: list[str]


class Color(enum.Enum):
    RED = "red"


class Plain:
    def __init__(self, a: int, b: dict) -> None:
        self.a = a
        self.b = b


SAMPLES = {
    "scalars": (None, True, 1, 1.5, -0.0, "text", "ünï", b"\x00bytes"),
    "containers": ([1, [2, 3]], (1, "a"), {"b": 1, "a": [2]}, {3, 1, 2}, frozenset({"x"}), {1: "a", "b": 2}),
    "objects": (Point(1, [2]), Model(name="n", tags=["t"]), Color.RED, Plain(1, {"k": "v"})),
    "stdlib": (datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), datetime.date(2024, 1, 2),
               datetime.timedelta(seconds=5), Decimal("1.10"), uuid.UUID(int=7), pathlib.PurePosixPath("/a/b")),
}

CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from {module} import SAMPLES
from headwater.engine.hashing import hash_objects
print(json.dumps({{name: hash_objects(*values) for name, values in SAMPLES.items()}}))
"""


def test_keys_are_the_same_in_other_processes_with_other_hash_seeds():
    import json

    # Classes are hashed by where they are defined: import this module under the same name.
    module = Point.__module__
    root = str(pathlib.Path(__file__).resolve().parents[module.count(".")])
    here = {name: hash_objects(*values) for name, values in SAMPLES.items()}
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run([sys.executable, "-c", CHILD.format(root=root, module=module)], env=env, capture_output=True,
                             text=True, timeout=60, check=True, cwd=root).stdout
        assert json.loads(out) == here


def test_dict_and_set_order_do_not_matter():
    assert hash_objects({"a": 1, "b": 2}) == hash_objects({"b": 2, "a": 1})
    assert hash_objects({1: "x", "1": "y"}) == hash_objects({"1": "y", 1: "x"})
    assert hash_objects({"x", "y", "z"}) == hash_objects({"z", "y", "x"})
    assert hash_objects(Plain(1, {"p": 1, "q": 2})) == hash_objects(Plain(1, {"q": 2, "p": 1}))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        (1, True), (1, 1.0), ("1", 1), ([1, 2], (1, 2)), ([[1], 2], [[1, 2]]), ("ab", ["a", "b"]),
        (Point(1, [2]), Point(1, [3])), (Model(name="a", tags=[]), Model(name="b", tags=[])),
        (Plain(1, {}), Plain(2, {})), (b"a", "a"), ({"a": 1}, {"a": 2}), (None, "None"),
    ],
)
def test_different_values_give_different_keys(left, right):
    assert hash_objects(left) != hash_objects(right)


def test_objects_hash_by_content_not_identity():
    assert hash_objects(Point(1, [2])) == hash_objects(Point(1, [2]))
    assert hash_objects(Model(name="n", tags=["t"])) == hash_objects(Model(name="n", tags=["t"]))
    assert hash_objects(Plain(1, {"k": [1]})) == hash_objects(Plain(1, {"k": [1]}))


def test_cycles_are_hashed():
    first: list[object] = [1]
    first.append(first)
    second: list[object] = [1]
    second.append(second)
    assert hash_objects(first) == hash_objects(second)


@pytest.mark.parametrize(
    ("value", "type_name"),
    [
        (threading.Lock(), "_thread.lock"),
        (threading.RLock(), "_thread.RLock"),
        ((x for x in []), "generator"),
        ({"nested": [threading.Lock()]}, "_thread.lock"),
    ],
)
def test_things_without_content_cannot_be_hashed(value, type_name):
    with pytest.raises(UnhashableValue) as caught:
        hash_objects(value)
    assert caught.value.type_name == type_name


def test_an_open_file_cannot_be_hashed(tmp_path):
    with open(tmp_path / "f", "w") as f:
        with pytest.raises(UnhashableValue, match="TextIOWrapper"):
            hash_objects(f)


def test_numpy_arrays_hash_by_dtype_shape_and_content():
    numpy = pytest.importorskip("numpy")
    a = numpy.arange(12).reshape(3, 4)
    assert hash_objects(a) == hash_objects(numpy.arange(12).reshape(3, 4))
    assert hash_objects(a) == hash_objects(numpy.asfortranarray(a)), "memory layout does not matter"
    assert hash_objects(a) != hash_objects(a.reshape(4, 3))
    assert hash_objects(a) != hash_objects(a.astype("float64"))
    b = a.copy()
    b[2, 3] = -1
    assert hash_objects(a) != hash_objects(b)
    assert hash_objects(numpy.array([{"a": 1}], dtype=object)) == hash_objects(numpy.array([{"a": 1}], dtype=object))
    assert hash_objects(numpy.int64(3)) != hash_objects(numpy.int32(3))


def test_pandas_objects_hash_by_content():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert hash_objects(frame) == hash_objects(frame.copy())
    assert hash_objects(frame) != hash_objects(frame.rename(columns={"b": "c"}))
    assert hash_objects(frame) != hash_objects(frame.assign(a=[1, 3]))
    assert hash_objects(frame) != hash_objects(frame.set_axis([5, 6]))
    assert hash_objects(frame["a"]) == hash_objects(frame["a"].copy())
    assert hash_objects(frame["a"]) != hash_objects(frame["a"].rename("z"))
    with_lists = pandas.DataFrame({"a": [[1], [2]]})
    assert hash_objects(with_lists) == hash_objects(with_lists.copy())


def test_pydantic_models_hash_by_what_they_serialise_to():
    from pydantic import Field, field_serializer

    class Query(BaseModel):
        text: str
        trace_id: str = Field(default="", exclude=True)
        ratio: float = 0.0

        @field_serializer("ratio")
        def _round(self, value: float) -> float:
            return round(value, 1)

    class Other(BaseModel):
        text: str
        ratio: float = 0.0

    base = hash_objects(Query(text="a", trace_id="1"))
    assert hash_objects(Query(text="a", trace_id="2", ratio=0.01)) == base  # excluded / rounded away
    assert hash_objects(Query(text="a", ratio=0.5)) != base
    assert hash_objects(Other(text="a")) != base  # the class still counts
