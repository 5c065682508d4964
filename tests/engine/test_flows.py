import asyncio

import pytest

from headwater import flow, task
from headwater.exceptions import InvalidDefinitionError, ParameterValidationError
from headwater.runtime import flow_run as runtime_flow_run
from headwater.states import Completed, Failed


def test_flow_returns_its_result_and_records_the_run(history):
    @task
    def double(x: int) -> int:
        return 2 * x

    @flow
    def pipeline(n: int = 3) -> list[int]:
        return [double(i) for i in range(n)]

    assert pipeline() == [0, 2, 4]
    run = history.only_flow_run()
    assert run.flow_name == "pipeline"
    assert run.state.type == "COMPLETED"
    assert run.parameters == {"n": 3}
    assert run.start_time is not None and run.end_time >= run.start_time
    assert history.states(run.id) == ["Pending", "Running", "Completed"]
    task_runs = history.store.history.read_task_runs(run.id)
    assert [t.task_name for t in task_runs] == ["double"] * 3
    assert [t.dynamic_key for t in task_runs] == [0, 1, 2]
    assert all(t.name.startswith("double-") and len(t.name) == len("double-") + 3 for t in task_runs)
    assert all(history.states(t.id) == ["Pending", "Running", "Completed"] for t in task_runs)


def test_default_flow_name_uses_hyphens_and_run_names_are_adjective_animal(history):
    @flow
    def show_stars():
        return runtime_flow_run.name

    name = show_stars()
    assert show_stars.name == "show-stars"
    assert len(name.split("-")) >= 2
    assert history.only_flow_run().name == name


def test_parameters_are_coerced_from_type_hints(history):
    @flow
    def typed(n: int, ratio: float = 0.5, names: list[str] | None = None):
        return n, ratio, names

    assert typed("7", ratio="1.5", names=("a",)) == (7, 1.5, ["a"])


def test_bad_parameter_fails_before_the_body_with_a_clear_error(history):
    ran = []

    @flow
    def typed(n: int):
        ran.append(n)

    with pytest.raises(ParameterValidationError) as raised:
        typed(n="abc")
    message = str(raised.value)
    assert "'n'" in message and "'abc'" in message and "int" in message
    assert ran == []
    run = history.only_flow_run()
    assert run.state.type == "FAILED"
    assert "Validation of flow parameters failed" in run.state.message


def test_missing_and_unknown_parameters_are_named(history):
    @flow
    def typed(n: int):
        return n

    with pytest.raises(ParameterValidationError, match="missing a required argument: 'n'"):
        typed()
    with pytest.raises(ParameterValidationError, match="unexpected keyword argument 'm'"):
        typed(n=1, m=2)


def test_validation_can_be_turned_off(history):
    @flow(validate_parameters=False)
    def raw(n: int):
        return n

    assert raw("abc") == "abc"


def test_flow_run_name_templates_and_callables(history):
    @flow(flow_run_name="load-{day}")
    def load(day: str):
        return runtime_flow_run.name

    assert load("monday") == "load-monday"

    @flow(flow_run_name=lambda: f"p-{runtime_flow_run.parameters['x']}")
    def other(x: int):
        return runtime_flow_run.name

    assert other(4) == "p-4"


def test_failed_task_fails_the_flow_and_reraises(history):
    @task
    def boom():
        raise ValueError("bad input")

    @flow
    def pipeline():
        boom()

    with pytest.raises(ValueError, match="bad input"):
        pipeline()
    run = history.only_flow_run()
    assert run.state.type == "FAILED"
    assert run.state.message == "Flow run encountered an exception: ValueError: bad input"
    (task_run,) = history.store.history.read_task_runs(run.id)
    assert task_run.state.type == "FAILED"


def test_handled_task_failure_leaves_the_flow_completed(history):
    @task
    def boom():
        raise ValueError("bad input")

    @flow
    def pipeline():
        try:
            boom()
        except ValueError:
            return "recovered"

    assert pipeline() == "recovered"
    assert history.only_flow_run().state.type == "COMPLETED"


def test_return_state_and_returned_states_decide_the_final_state(history):
    @flow
    def returns_failed():
        return Failed(message="chose to fail")

    state = returns_failed(return_state=True)
    assert state.is_failed() and state.message == "chose to fail"

    @flow
    def returns_completed():
        return Completed(message="fine", data=3)

    assert returns_completed() == 3

    @task
    def maybe(x):
        if x:
            raise RuntimeError("x")
        return x

    @flow
    def returns_states():
        return [maybe(0, return_state=True), maybe(1, return_state=True)]

    state = returns_states(return_state=True)
    assert state.is_failed() and state.message == "1/2 states failed."


def test_subflows_are_recorded_with_their_parent(history):
    @flow
    def child(x: int) -> int:
        return x + 1

    @flow
    def parent() -> int:
        return child(1) + child(2)

    assert parent() == 5
    runs = history.store.flow_runs.list_flow_runs(limit=10)
    parent_run = next(r for r in runs if r.flow_name == "parent")
    children = [r for r in runs if r.flow_name == "child"]
    assert len(children) == 2
    placeholders = history.store.history.read_task_runs(parent_run.id)
    assert {r.parent_task_run_id for r in children} == {t.id for t in placeholders}
    assert all(t.state.type == "COMPLETED" and t.task_name == "child" for t in placeholders)


def test_async_flow_with_async_and_sync_tasks(history):
    @task
    async def fetch(x: int) -> int:
        await asyncio.sleep(0)
        return x * 10

    @task
    def add(a: int, b: int) -> int:
        return a + b

    @flow
    async def pipeline() -> int:
        a = await fetch(1)
        b = await fetch(2)
        return add(a, b)

    assert asyncio.run(pipeline()) == 30
    run = history.only_flow_run()
    assert run.state.type == "COMPLETED"
    assert len(history.store.history.read_task_runs(run.id)) == 3


def test_async_task_called_from_sync_flow_returns_a_coroutine_as_in_prefect(history):
    @task
    async def fetch(x: int) -> int:
        return x + 1

    @flow
    def pipeline() -> int:
        pending = fetch(1)
        assert asyncio.iscoroutine(pending)
        return asyncio.run(pending)

    assert pipeline() == 2
    assert [t.state.type for t in history.store.history.read_task_runs(history.only_flow_run().id)] == ["COMPLETED"]


def test_decorator_refuses_non_callables_and_bad_options():
    with pytest.raises(InvalidDefinitionError, match="needs a function"):
        flow(42)
    with pytest.raises(InvalidDefinitionError, match="retries=-1"):
        flow(retries=-1)
    with pytest.raises(InvalidDefinitionError, match="unknown option 'retires'"):
        task(retires=3)
    with pytest.raises(InvalidDefinitionError, match="retry_delay_seconds"):
        task(retries=2, retry_delay_seconds=["1", "2"])
    with pytest.raises(InvalidDefinitionError, match="timeout_seconds"):
        task(timeout_seconds=0)


def test_with_options_copies_and_validates():
    @task(retries=1, name="fetch")
    def fetch():
        return 1

    faster = fetch.with_options(retries=0, tags=["x"])
    assert (fetch.retries, faster.retries, faster.name, faster.tags) == (1, 0, "fetch", ("x",))
    with pytest.raises(InvalidDefinitionError):
        fetch.with_options(retries="many")


def test_runtime_parameters_keep_var_keyword_under_its_name(history):
    from headwater.runtime import flow_run

    @flow
    def collect(first, *rest, **options):
        return dict(flow_run.parameters)

    assert collect(1, 2, mode="fast") == {"first": 1, "rest": (2,), "options": {"mode": "fast"}}
    assert collect("x") == {"first": "x", "rest": (), "options": {}}


@pytest.mark.parametrize("name", ["reports/daily", "50% done", "a & b", "<script>", "x>y"])
def test_reserved_characters_in_flow_names_are_refused_at_decoration(name):
    from headwater.exceptions import InvalidNameError

    message = f"Name {name!r} contains an invalid character. Must not contain any of: ['/', '%', '&', '>', '<']."
    with pytest.raises(InvalidNameError) as refused:
        flow(name=name)(lambda: None)
    assert str(refused.value) == message
    with pytest.raises(ValueError):  # as Prefect's, also a ValueError
        flow(lambda: None).with_options(name=name)
    with pytest.raises(InvalidNameError):
        flow(lambda: None).to_deployment(name)


def test_other_punctuation_and_lambdas_are_fine_in_flow_names():
    assert flow(name="fine name: v2 (a.b-c_d) 'q' \"q\"")(lambda: None).name == "fine name: v2 (a.b-c_d) 'q' \"q\""
    assert flow(lambda: None).name == "unknown-lambda"  # Prefect's name: "<lambda>" holds reserved characters


def test_prefect1_flows_keep_any_name():
    from headwater import Flow

    assert Flow("reports/daily <b>").name == "reports/daily <b>"


def test_to_deployment_takes_a_concurrency_limit_config():
    from pydantic import ValidationError

    from headwater.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyOptions

    f = flow(name="limited-flow")(lambda: None)
    plain = f.to_deployment("plain", concurrency_limit=2, entrypoint="x.py:f")
    assert (plain.concurrency_limit, plain.concurrency_options) == (2, None)
    config = ConcurrencyLimitConfig(limit=1, collision_strategy="CANCEL_NEW", grace_period_seconds=90)
    limited = f.to_deployment("limited", concurrency_limit=config, entrypoint="x.py:f")
    assert limited.concurrency_limit == 1
    assert limited.concurrency_options == ConcurrencyOptions(collision_strategy="CANCEL_NEW", grace_period_seconds=90)
    assert limited.to_create().concurrency_options == limited.concurrency_options
    with pytest.raises(ValidationError, match="collision_strategy"):
        f.to_deployment("bad", concurrency_limit={"limit": 1, "collision_strategy": "DROP"}, entrypoint="x.py:f")
