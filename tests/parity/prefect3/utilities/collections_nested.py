"""prefect.utilities.collections: nested dicts, iterables, AutoEnum and visit_collection."""
from dataclasses import dataclass

from pydantic import BaseModel

from prefect.utilities.annotations import quote, unmapped
from prefect.utilities.collections import (
    AutoEnum,
    StopVisiting,
    batched_iterable,
    deep_merge,
    deep_merge_dicts,
    dict_to_flatdict,
    distinct,
    ensure_iterable,
    extract_instances,
    flatdict_to_dict,
    get_from_dict,
    isiterable,
    listrepr,
    remove_nested_keys,
    set_in_dict,
    visit_collection,
)

print(deep_merge({"a": {"b": 1, "c": 2}, "x": 1}, {"a": {"b": 3}, "y": 2}))
print(deep_merge_dicts({"a": {"b": 1}}, {"a": {"c": 2}}, {"a": {"b": 5}}))
flat = dict_to_flatdict({"a": {"b": 1, "c": {"d": 2}}, "e": 3})
print(flat)
print(flatdict_to_dict(flat))
print(get_from_dict({"a": {"b": [1, {"c": 9}]}}, "a.b[1].c"), get_from_dict({"a": 1}, "a.x", "dflt"),
      get_from_dict({"a": {"b": [1]}}, ["a", "b", 0]))
d = {}
set_in_dict(d, "a.b.c", 1)
set_in_dict(d, "a.e", 2)
print(d)
print(remove_nested_keys(["b"], {"a": {"b": 1, "c": 2}, "b": 3}))
print(list(distinct([1, 2, 1, 3, 2])), list(distinct([{"a": 1}, {"a": 1}, {"a": 2}], key=lambda x: x["a"])))
print(ensure_iterable(1), ensure_iterable([1]), ensure_iterable("ab"), ensure_iterable((1,)), ensure_iterable({1: 2}))
print(extract_instances([1, "a", 2.0, "b"], types=(int, str)), extract_instances([1, "a"], types=int))
print(list(batched_iterable(range(5), 2)))
print(listrepr([1, "a"]), listrepr(["x", "y"], sep="; "))
print(isiterable([1]), isiterable("ab"), isiterable(3), isiterable({}))


class Color(AutoEnum):
    RED = AutoEnum.auto()
    BLUE = AutoEnum.auto()


print(Color.RED, Color.RED.value, repr(Color.BLUE), Color("BLUE") is Color.BLUE)


def times_ten(x):
    return x * 10 if isinstance(x, int) else x


print(visit_collection({"a": [1, 2, (3,)], "b": "s", "c": {4}}, times_ten, return_data=True))
print(visit_collection([1, [2, [3]]], times_ten, return_data=True, max_depth=1))
print(visit_collection([quote([1]), 2], times_ten, return_data=True))
print(visit_collection([quote([1]), unmapped(2)], times_ten, return_data=True, remove_annotations=True))


@dataclass
class D:
    a: int
    b: list


class M(BaseModel):
    a: int
    b: list


print(visit_collection(D(1, [2]), times_ten, return_data=True))
print(visit_collection(M(a=1, b=[2]), times_ten, return_data=True))
print(visit_collection({"a": 1}, times_ten))


def stop_at_lists(x):
    if isinstance(x, list):
        raise StopVisiting
    return times_ten(x)


print(visit_collection({"a": [1], "b": 2}, stop_at_lists, return_data=True))
seen = []
visit_collection([1, [2, {"k": 3}]], lambda x: seen.append(x))
print(seen)
print(visit_collection([1, {"k": 2}], lambda x, context: x + context["d"] if isinstance(x, int) else x,
                       return_data=True, context={"d": 5}))
