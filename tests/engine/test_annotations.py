"""allow_failure / quote / opaque as task arguments, and annotations in task.map."""

from __future__ import annotations

from headwater import flow, task
from headwater.engine.futures import HeadwaterFuture
from headwater.utilities.annotations import allow_failure, opaque, quote, unmapped


@task
def broken() -> int:
    raise KeyError("k")


@task
def one() -> int:
    return 1


@task
def echo(value: object) -> object:
    return value


def test_allow_failure_argument_receives_the_exception(history):
    @flow
    def pipeline():
        failed = broken.submit()
        return echo.submit(allow_failure(failed)).result(), echo(allow_failure(one.submit()))

    error, value = pipeline()
    assert isinstance(error, KeyError) and error.args == ("k",)
    assert value == 1


def test_failed_upstream_without_allow_failure_still_blocks(history):
    @flow
    def pipeline():
        return echo.submit(broken.submit(), return_state=True).name

    assert pipeline() == "NotReady"


def test_allow_failure_in_wait_for_lets_the_task_run(history):
    ran = []

    @task
    def cleanup() -> str:
        ran.append(True)
        return "cleaned"

    @flow
    def pipeline():
        up = broken.submit()
        return cleanup.submit(wait_for=[allow_failure(up)]).result(), up.state.is_failed()

    assert pipeline() == ("cleaned", True)
    assert ran == [True]


def test_quote_passes_the_value_unresolved_and_unwrapped(history):
    @task
    def inspect(value: object) -> tuple[str, bool]:
        inner = value[0] if isinstance(value, list) else value
        return type(value).__name__, isinstance(inner, HeadwaterFuture)

    @flow
    def pipeline():
        future = one.submit()
        return inspect(quote(future)), inspect(quote([future])), inspect(quote({"a": 1})), inspect(future)

    assert pipeline() == (("HeadwaterFuture", True), ("list", True), ("dict", False), ("int", False))


def test_opaque_resolves_the_future_only(history):
    @task
    def holder() -> list:
        return [1, 2]

    @flow
    def pipeline():
        return echo(opaque(holder.submit())), echo(opaque(5))

    assert pipeline() == ([1, 2], 5)


def test_map_rewraps_annotated_elements_and_maps_dict_keys(history):
    @flow
    def pipeline():
        failed = broken.submit()
        wrapped = echo.map(quote([one.submit(), one.submit()])).result()
        allowed = echo.map(allow_failure([failed, one.submit()])).result()
        keys = echo.map({"a": 1, "b": 2}).result()
        whole = pair.map([1, 2], unmapped({"a": 1})).result()
        return [type(w).__name__ for w in wrapped], [type(a).__name__ for a in allowed], keys, whole

    @task
    def pair(x: int, d: dict) -> tuple:
        return x, d

    wrapped, allowed, keys, whole = pipeline()
    assert whole == [(1, {"a": 1}), (2, {"a": 1})]
    assert wrapped == ["HeadwaterFuture", "HeadwaterFuture"]
    assert allowed == ["KeyError", "int"]
    assert keys == ["a", "b"]
