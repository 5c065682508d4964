"""The cache policies' algebra and keys, computed directly."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

import headwater.cache_policies as cache_policies
from headwater.cache_policies import (
    DEFAULT,
    FLOW_PARAMETERS,
    INPUTS,
    NO_CACHE,
    NONE,
    RUN_ID,
    TASK_SOURCE,
    CacheKeyFnPolicy,
    CachePolicy,
    CompoundPolicy,
    Inputs,
    UnhashableInput,
)


def context(flow_run_id: str | None = "flow-1", run_id: str = "task-1") -> Any:
    def fn(x: int) -> int:
        return x

    return SimpleNamespace(task=SimpleNamespace(fn=fn, task_key="fn-1"),
                           task_run=SimpleNamespace(id=run_id, flow_run_id=flow_run_id))


def key(policy: CachePolicy, inputs: dict[str, Any] | None = None, flow_parameters: dict[str, Any] | None = None,
        ctx: Any = None) -> str | None:
    return policy.compute_key(ctx or context(), inputs or {}, flow_parameters or {})


def test_public_names():
    assert set(cache_policies.__all__) >= {"DEFAULT", "FLOW_PARAMETERS", "INPUTS", "NONE", "NO_CACHE", "RUN_ID",
                                           "TASK_SOURCE", "CachePolicy", "CacheKeyFnPolicy"}
    assert NONE is NO_CACHE


def test_inputs_key_follows_the_arguments_and_exclusions():
    assert key(INPUTS, {"x": 1, "y": 2}) == key(INPUTS, {"y": 2, "x": 1})
    assert key(INPUTS, {"x": 1}) != key(INPUTS, {"x": 2})
    assert key(INPUTS, {"x": 1}) != key(INPUTS, {"y": 1}), "the parameter's name counts"
    without_y = INPUTS - "y"
    assert isinstance(without_y, Inputs) and without_y.exclude == ("y",)
    assert key(without_y, {"x": 1, "y": 2}) == key(without_y, {"x": 1, "y": 3}) == key(INPUTS, {"x": 1})
    assert INPUTS.exclude == (), "subtraction returns a new policy"
    assert (INPUTS - "a" - "b").exclude == ("a", "b")


def test_subtracting_something_other_than_a_name_is_refused():
    with pytest.raises(TypeError, match="INPUTS - 'client'"):
        INPUTS - 3  # type: ignore[operator]


def test_an_unhashable_input_names_the_argument():
    import threading

    with pytest.raises(UnhashableInput) as caught:
        key(INPUTS, {"x": 1, "pool": threading.Lock()})
    assert caught.value.argument == "pool"
    assert "cache_policy=INPUTS - 'pool'" in str(caught.value)
    assert key(INPUTS - "pool", {"x": 1, "pool": threading.Lock()}) == key(INPUTS, {"x": 1})


def test_composition_flattens_and_depends_on_every_part():
    combined = INPUTS + TASK_SOURCE + RUN_ID
    assert isinstance(combined, CompoundPolicy) and combined.policies == (INPUTS, TASK_SOURCE, RUN_ID)
    assert combined == DEFAULT
    assert key(DEFAULT, {"x": 1}) != key(DEFAULT, {"x": 2})
    assert key(DEFAULT, {"x": 1}) != key(DEFAULT, {"x": 1}, ctx=context(flow_run_id="flow-2"))
    assert key(DEFAULT, {"x": 1}) == key(DEFAULT, {"x": 1})


def test_subtraction_reaches_inside_compound_policies():
    policy = DEFAULT - "client"
    assert isinstance(policy, CompoundPolicy)
    assert policy.policies[0] == Inputs(exclude=("client",))
    assert key(policy, {"x": 1, "client": object()}) == key(DEFAULT, {"x": 1})


def test_none_adds_nothing_and_alone_never_caches():
    assert NONE + INPUTS is INPUTS and INPUTS + NONE is INPUTS
    assert key(NONE, {"x": 1}) is None
    assert NONE - "x" is NONE


def test_run_id_falls_back_to_the_task_run_outside_a_flow():
    assert key(RUN_ID) == "flow-1"
    assert key(RUN_ID, ctx=context(flow_run_id=None, run_id="task-9")) == "task-9"


def test_flow_parameters_key():
    assert key(FLOW_PARAMETERS) is None
    assert key(FLOW_PARAMETERS, flow_parameters={"a": 1}) == key(FLOW_PARAMETERS, flow_parameters={"a": 1})
    assert key(FLOW_PARAMETERS, flow_parameters={"a": 1}) != key(FLOW_PARAMETERS, flow_parameters={"a": 2})


def test_task_source_key_changes_with_the_code():
    def one(x: int) -> int:
        return x

    def other(x: int) -> int:
        return x + 1

    ctx_one = SimpleNamespace(task=SimpleNamespace(fn=one), task_run=None)
    ctx_other = SimpleNamespace(task=SimpleNamespace(fn=other), task_run=None)
    assert key(TASK_SOURCE, ctx=ctx_one) == key(TASK_SOURCE, ctx=ctx_one)
    assert key(TASK_SOURCE, ctx=ctx_one) != key(TASK_SOURCE, ctx=ctx_other)


def test_a_compound_of_only_none_keys_is_none():
    assert key(FLOW_PARAMETERS + NONE + FLOW_PARAMETERS) is None


def test_cache_key_fn_policy():
    policy = CachePolicy.from_cache_key_fn(lambda ctx, params: f"k{params['x']}")
    assert isinstance(policy, CacheKeyFnPolicy)
    assert key(policy, {"x": 3}) == "k3"


def test_configure_returns_a_copy_with_the_isolation_level():
    serial = INPUTS.configure(isolation_level="SERIALIZABLE", key_storage="/tmp/keys")
    assert serial.isolation_level == "SERIALIZABLE" and serial.key_storage == "/tmp/keys"
    assert INPUTS.isolation_level is None
    assert (serial + TASK_SOURCE).setting("isolation_level") == "SERIALIZABLE"  # type: ignore[attr-defined]
    with pytest.raises(ValueError, match="invalid isolation_level='LOOSE'"):
        INPUTS.configure(isolation_level="LOOSE")  # type: ignore[arg-type]


def test_stable_transforms_replace_an_argument_of_that_exact_type_before_hashing():
    import threading

    from headwater.cache_policies import STABLE_TRANSFORMS

    class Connection:  # holds a lock: unhashable as it is
        def __init__(self, url: str) -> None:
            self.url, self.lock = url, threading.Lock()

    class SubConnection(Connection):
        pass

    assert STABLE_TRANSFORMS == {}  # pandas and NumPy values are hashed by content without one
    STABLE_TRANSFORMS[Connection] = lambda connection: connection.url
    try:
        assert key(INPUTS, {"c": Connection("db://a")}) == key(INPUTS, {"c": Connection("db://a")})
        assert key(INPUTS, {"c": Connection("db://a")}) == key(INPUTS, {"c": "db://a"})
        assert key(INPUTS, {"c": Connection("db://a")}) != key(INPUTS, {"c": Connection("db://b")})
        with pytest.raises(UnhashableInput):  # as in Prefect, the type must match exactly
            key(INPUTS, {"c": SubConnection("db://a")})
    finally:
        del STABLE_TRANSFORMS[Connection]
