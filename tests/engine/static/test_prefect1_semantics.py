"""Static flows run as Prefect 1's FlowRunner: states, triggers, signals, handlers, retries, loops."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest

from headwater import Flow, Parameter, Task, task
from headwater.engine import signals
from headwater.engine.state import Cached, Looped, Mapped, Retrying, Skipped, Success, TriggerFailed
from headwater.engine.static.context import context
from headwater.triggers import all_failed, always_run, any_failed
from headwater.utilities.debug import raise_on_exception
from headwater.utilities.tasks import defaults_from_attrs


def test_the_flow_state_names_its_reference_tasks_and_downstream_tasks_trigger_fail(home: Path) -> None:
    @task
    def boom() -> None:
        raise ValueError("bad")

    @task
    def after(x: object) -> None: ...

    @task(trigger=any_failed)
    def alert() -> str:
        return "alerted"

    @task(trigger=all_failed)
    def only_if_all_failed() -> str:
        return "never"

    with Flow("triggers") as flow:
        b = boom()
        a = after(b)
        al = alert(upstream_tasks=[b])
        ok = task(lambda: 1, name="ok")()
        never = only_if_all_failed(upstream_tasks=[b, ok])

    state = flow.run()

    assert repr(state) == '<Failed: "Some reference tasks failed.">'
    assert repr(state.result[b]) == "<Failed: \"Error during execution of task: ValueError('bad')\">"
    assert isinstance(state.result[b].result, ValueError)
    assert isinstance(state.result[a], TriggerFailed)
    assert state.result[a].message == 'Trigger was "all_successful" but some of the upstream tasks failed.'
    assert state.result[al].result == "alerted"
    assert isinstance(state.result[never], TriggerFailed)


def test_signals_set_states_and_skips_propagate_downstream(home: Path) -> None:
    @task
    def skipper() -> None:
        raise signals.SKIP("not today")

    @task
    def downstream(x: object) -> str:
        return "ran"

    @task(skip_on_upstream_skip=False, trigger=always_run)
    def regardless(x: object) -> str:
        return "ran anyway"

    @task
    def succeed_early() -> None:
        raise signals.SUCCESS("done early", result=42)

    with Flow("signals") as flow:
        s = skipper()
        d = downstream(s)
        r = regardless(s)
        e = succeed_early()

    state = flow.run()

    assert isinstance(state.result[s], Skipped) and state.result[s].message == "not today"
    assert isinstance(state.result[d], Skipped)
    assert state.result[r].result == "ran anyway"
    assert type(state.result[e]) is Success and state.result[e].result == 42
    assert state.is_successful()


def test_loop_signals_rerun_the_task_with_its_loop_result(home: Path) -> None:
    seen: list[object] = []

    @task
    def count_up(limit: int) -> int:
        current = context.get("task_loop_result", 0)
        seen.append((context.get("task_loop_count"), current))
        if current < limit:
            raise signals.LOOP(result=current + 1)
        return current

    with Flow("loop") as flow:
        out = count_up(3)

    state = flow.run()

    assert state.result[out].result == 3
    assert seen == [(None, 0), (2, 1), (3, 2), (4, 3)]


def test_state_handlers_see_every_change_and_retries_wait_their_delay(home: Path) -> None:
    changes: list[tuple[str, str]] = []
    attempts: list[int] = []

    def handler(t: object, old: object, new: object) -> None:
        changes.append((type(old).__name__, type(new).__name__))

    @task(max_retries=1, retry_delay=timedelta(seconds=0), state_handlers=[handler])
    def flaky() -> str:
        attempts.append(context.get("task_run_count"))
        if len(attempts) == 1:
            raise ValueError("first")
        return "ok"

    with Flow("retries") as flow:
        f = flaky()

    state = flow.run()

    assert state.result[f].result == "ok" and attempts == [1, 2]
    assert changes == [("Pending", "Running"), ("Running", "Failed"), ("Failed", "Retrying"),
                       ("Retrying", "Running"), ("Running", "Success")]


def test_a_handler_can_replace_the_new_state(home: Path) -> None:
    def never_fail(t: object, old: object, new: object) -> object:
        return Success("forgiven", result="fallback") if new.is_failed() else new  # type: ignore[attr-defined]

    @task(state_handlers=[never_fail])
    def bad() -> None:
        raise RuntimeError("x")

    with Flow("handled") as flow:
        b = bad()

    state = flow.run()
    assert state.is_successful() and state.result[b].result == "fallback"


def test_retry_delay_is_required_with_max_retries() -> None:
    with pytest.raises(ValueError, match="retry_delay"):
        task(max_retries=2)


def test_class_based_tasks_with_defaults_from_attrs_bind_and_operators(home: Path) -> None:
    class Scale(Task):
        def __init__(self, factor: int = 2, **kwargs: object) -> None:
            self.factor = factor
            super().__init__(**kwargs)

        @defaults_from_attrs("factor")
        def run(self, x: int, factor: int | None = None) -> int:
            return x * factor  # type: ignore[operator]

    scale = Scale(factor=10, name="scale-10")
    with Flow("classes") as flow:
        n = Parameter("n", default=3)
        scaled = scale(n)
        total = scaled + n
        bigger = total > 30
        item = Scale()(n, factor=1).pipe(Scale(factor=5))

    state = flow.run()

    assert scaled.name == "scale-10" and type(scaled).__name__ == "Scale"
    assert [state.result[x].result for x in (scaled, total, bigger, item)] == [30, 33, True, 15]


def test_cache_for_reuses_the_result_across_runs(home: Path) -> None:
    calls: list[int] = []

    @task(cache_for=timedelta(hours=1))
    def expensive() -> int:
        calls.append(1)
        return 7

    with Flow("cached") as flow:
        e = expensive()

    first, second = flow.run(), flow.run()

    assert calls == [1]
    assert isinstance(first.result[e], Cached) and isinstance(second.result[e], Cached)
    assert second.result[e].result == 7


def test_mapping_children_states_and_raise_on_exception(home: Path) -> None:
    @task
    def inc(x: int) -> int:
        if x == 2:
            raise ValueError("two")
        return x + 1

    with Flow("mapped") as flow:
        m = inc.map([1, 2, 3])

    state = flow.run()
    assert isinstance(state.result[m], Mapped)
    assert [type(s).__name__ for s in state.result[m].map_states] == ["Success", "Failed", "Success"]
    with raise_on_exception(), pytest.raises(ValueError, match="two"):
        flow.run()


def test_by_default_tasks_run_in_the_flows_thread_one_at_a_time(home: Path) -> None:
    threads: set[int] = set()

    @task
    def where(i: int) -> None:
        threads.add(threading.get_ident())

    with Flow("threads") as flow:
        where.map(list(range(4)))

    flow.run()
    assert threads == {threading.get_ident()}


def test_context_values_inside_a_run_and_layered_by_the_user(home: Path) -> None:
    seen: dict[str, object] = {}

    @task
    def look(x: int) -> None:
        seen[f"{context.task_full_name}"] = (context.flow_name, context.parameters, context.map_index,
                                              context.get("extra"))

    with Flow("ctx") as flow:
        p = Parameter("p", default=1)
        look.map([p, p])

    with context(extra="layered"):
        flow.run()
    assert "extra" not in context
    assert seen == {"look[0]": ("ctx", {"p": 1}, 0, "layered"), "look[1]": ("ctx", {"p": 1}, 1, "layered")}
    assert Looped(loop_count=1).loop_count == 1 and Retrying(run_count=1).is_pending()
