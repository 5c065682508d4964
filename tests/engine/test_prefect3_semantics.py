"""Prefect 3 behaviours of the engine: methods, hook decorators, return_state on submit
and map, async dispatch of State.result(), tags, runtime, log_prints to stderr, and
result_storage_key turning persistence on. Each is also a parity program
(tests/parity/prefect3/engine/) recorded on Prefect; these check the details."""

from __future__ import annotations

import asyncio
import logging
import sys

import pytest

from headwater import flow, runtime, tags, task
from headwater.exceptions import FailedRun, ParameterBindError, ParameterTypeError
from headwater.states import Completed, Failed


class Counter:
    def __init__(self, start: int) -> None:
        self.start = start

    @task
    def add(self, x: int) -> int:
        return self.start + x

    @flow
    def total(self, xs: list[int]) -> int:
        return sum(self.add.map(xs).result())

    @classmethod
    @flow
    def build(cls, start: int) -> Counter:
        return cls(start)

    @flow
    @classmethod
    def build_reversed(cls, start: int) -> Counter:  # `@flow` above `@classmethod` works too
        return cls(start)


def test_tasks_and_flows_as_methods_bind_self_and_cls(history):
    counter = Counter(10)
    assert counter.total([1, 2]) == 23
    assert counter.add(5) == 15
    assert Counter.build(3).start == 3 and Counter.build_reversed(4).start == 4
    assert Counter.total is Counter.__dict__["total"]  # accessed on the class: unbound
    assert counter.total.with_options(name="renamed")([1]) == 11


def test_hook_decorators_add_hooks_after_the_option_ones(history):
    seen: list[str] = []

    @task(on_completion=[lambda t, r, s: seen.append("option")])
    def work() -> int:
        return 1

    @work.on_completion
    def decorated(tsk, run, state):  # type: ignore[no-untyped-def]
        seen.append(f"decorated {tsk.name} {state.type.value}")

    @flow
    def broken() -> None:
        raise ValueError("x")

    @broken.on_failure
    def failed(flw, run, state):  # type: ignore[no-untyped-def]
        seen.append(f"failed {flw.name}")

    work()
    broken(return_state=True)
    assert seen == ["option", "decorated work COMPLETED", "failed broken"]
    assert decorated.__name__ == "decorated" and len(work.on_completion_hooks) == 2


def test_return_state_on_submit_and_map(history):
    @task
    def check(x: int) -> int:
        if x < 0:
            raise ValueError("negative")
        return x

    @flow
    def pipeline() -> tuple[list[str], str]:
        states = check.map([1, -1], return_state=True)
        return [s.type.value for s in states], check.submit(2, return_state=True).type.value

    assert pipeline() == (["COMPLETED", "FAILED"], "COMPLETED")


def test_invalid_parameters_with_return_state_give_a_failed_state(history):
    @flow
    def typed(n: int) -> int:
        return n

    state = typed("nope", return_state=True)
    assert state.is_failed()
    with pytest.raises(ParameterTypeError):
        typed("nope")
    with pytest.raises(ParameterBindError):
        typed(1, 2)


def test_returned_states_decide_the_flow_and_keep_their_names(history):
    @task
    def fails() -> None:
        raise ValueError("boom")

    @flow
    def skips():  # type: ignore[no-untyped-def]
        fails.submit()
        return Completed(name="Skipped", message="nothing to do")

    @flow
    def rejects():  # type: ignore[no-untyped-def]
        return Failed(message="bad input")

    state = skips(return_state=True)
    assert (state.type.value, state.name, state.message) == ("COMPLETED", "Skipped", "nothing to do")
    with pytest.raises(FailedRun, match="bad input"):
        rejects()


def test_state_result_is_awaited_in_async_code_only(history):
    @task
    def three() -> int:
        return 3

    @flow
    async def async_flow() -> int:
        state = three(return_state=True)
        pending = state.result()
        assert asyncio.iscoroutine(pending)
        return await pending

    @flow
    def sync_flow() -> int:
        return three(return_state=True).result()

    assert asyncio.run(async_flow()) == 3
    assert sync_flow() == 3


def test_tags_blocks_reach_task_runs_and_runtime(history):
    seen: list[list[str]] = []

    @task(tags=["own"])
    def show() -> None:
        seen.append(sorted(runtime.task_run.tags))

    @flow
    def pipeline() -> list[str]:
        with tags("inner"):
            show()
        show()
        return sorted(runtime.flow_run.tags)

    with tags("outer"):
        assert pipeline() == ["outer"]
    assert seen == [["inner", "outer", "own"], ["outer", "own"]]
    assert runtime.flow_run.tags == [] and runtime.task_run.run_count == 0


def test_runtime_knows_parent_and_root(history):
    @flow
    def child() -> tuple[str, str, str]:
        fr = runtime.flow_run
        return fr.parent_flow_run_id, fr.root_flow_run_id, runtime.deployment.flow_run_id

    @flow
    def parent() -> bool:
        parent_id, root_id, own_id = child()
        me = runtime.flow_run.id
        return parent_id == me and root_id == me and own_id != me and runtime.flow_run.parent_flow_run_id is None

    assert parent() is True


def test_log_prints_captures_prints_to_stderr(history):
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Collect()
    logging.getLogger("headwater.flow_runs").addHandler(handler)
    try:
        @flow(log_prints=True)
        def noisy() -> None:
            print("to stdout")
            print("to stderr", file=sys.stderr)

        noisy()
    finally:
        logging.getLogger("headwater.flow_runs").removeHandler(handler)
    assert "to stdout" in messages and "to stderr" in messages


def test_result_storage_key_alone_persists_and_reads_back(history):
    calls: list[int] = []

    @task(result_storage_key="answer-{parameters[n]}")
    def answer(n: int) -> int:
        calls.append(n)
        return n * 2

    @flow
    def pipeline(n: int) -> tuple[str, int]:
        state = answer(n, return_state=True)
        return state.name, state.result()

    assert answer.persist_result is True
    assert pipeline(21) == ("Completed", 42)
    assert pipeline(21) == ("Cached", 42)
    assert calls == [21]


def test_cancellation_hooks_do_not_answer_a_returned_cancelled_state(history):
    from headwater.states import Cancelled

    seen: list[str] = []

    @flow
    def stops():  # type: ignore[no-untyped-def]
        return Cancelled(message="stop")

    @stops.on_cancellation
    def hook(flw, run, state):  # type: ignore[no-untyped-def]
        seen.append("cancellation")

    assert stops(return_state=True).is_cancelled()
    assert seen == []


def test_arguments_the_signature_refuses_raise_before_any_run(history):
    @flow
    def takes_one(x: int) -> int:
        return x

    with pytest.raises(ParameterBindError):
        takes_one(1, 2, return_state=True)
    assert takes_one("3", return_state=True).is_completed()
    assert len(history.store.flow_runs.list_flow_runs(limit=10)) == 1  # only the call that bound


def test_generator_tasks_stream_inside_their_run(history):
    @task
    def stream(n: int):  # type: ignore[no-untyped-def]
        for i in range(n):
            yield f"{runtime.task_run.task_name}-{i}"

    @task
    def broken():  # type: ignore[no-untyped-def]
        yield 1
        raise ValueError("stream broke")

    @flow
    def pipeline() -> tuple[list[str], list[int]]:
        got: list[int] = []
        with pytest.raises(ValueError, match="stream broke"):
            for item in broken():
                got.append(item)
        return list(stream(2)), got

    assert pipeline() == (["stream-0", "stream-1"], [1])
    states = {t.task_name: t.state.type for t in history.store.history.read_task_runs(history.only_flow_run().id)}
    assert states == {"stream": "COMPLETED", "broken": "FAILED"}


def test_persisted_results_without_a_policy_are_cached_within_a_flow_run(history):
    calls: list[int] = []

    @task(persist_result=True)
    def compute(x: int) -> int:
        calls.append(x)
        return x * 2

    @flow
    def pipeline() -> list[str]:
        return [compute(1, return_state=True).name, compute(1, return_state=True).name]

    assert pipeline() == ["Completed", "Cached"]
    assert pipeline() == ["Completed", "Cached"]  # the flow run id is part of the key
    assert calls == [1, 1]


def test_load_flow_from_entrypoint(history, tmp_path):
    from headwater.flows import load_flow_from_entrypoint

    source = tmp_path / "myflows.py"
    source.write_text("from headwater import flow\n\n@flow\ndef hello(n: int = 1):\n    return n + 1\n")
    loaded = load_flow_from_entrypoint(f"{source}:hello")
    assert loaded.name == "hello" and loaded(2) == 3


def test_a_task_returning_a_completed_state_hands_back_that_state(history):
    @task
    def decided():  # type: ignore[no-untyped-def]
        return Completed(data="payload", name="Skipped")

    @flow
    def pipeline() -> tuple[str, str]:
        returned = decided()
        return returned.name, returned.result()

    assert pipeline() == ("Skipped", "payload")  # the flow's own call still gives its data
