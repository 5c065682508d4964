import pytest

from headwater import flow, task
from headwater.engine.retries import retry_delay
from headwater.tasks import exponential_backoff


def flaky(failures: int):
    calls = []

    def fn():
        calls.append(1)
        if len(calls) <= failures:
            raise ConnectionError(f"attempt {len(calls)}")
        return len(calls)

    return fn, calls


def test_task_retries_until_success_and_records_each_attempt(history):
    fn, calls = flaky(2)
    fetch = task(fn, retries=3, retry_delay_seconds=[0.01, 0.02])

    @flow
    def pipeline():
        return fetch()

    assert pipeline() == 3
    (task_run,) = history.store.history.read_task_runs(history.only_flow_run().id)
    assert history.states(task_run.id) == [
        "Pending", "Running", "AwaitingRetry", "Retrying", "AwaitingRetry", "Retrying", "Completed"]
    assert task_run.run_count == 3


def test_retries_exhausted_fails_with_the_last_error(history):
    fn, calls = flaky(5)
    fetch = task(fn, retries=2)

    @flow
    def pipeline():
        return fetch()

    with pytest.raises(ConnectionError, match="attempt 3"):
        pipeline()
    assert len(calls) == 3


def test_retry_condition_fn_can_refuse_a_retry(history):
    fn, calls = flaky(5)

    def only_timeouts(task, task_run, state):
        assert task.name == "fn" and task_run.run_count >= 1 and state.is_failed()
        return isinstance(state.data, TimeoutError)

    fetch = task(fn, retries=3, retry_condition_fn=only_timeouts)
    with pytest.raises(ConnectionError):
        fetch()
    assert len(calls) == 1


def test_flow_retries_rerun_the_body(history):
    fn, calls = flaky(1)

    @flow(retries=1)
    def pipeline():
        return fn()

    assert pipeline() == 2
    run = history.only_flow_run()
    assert history.states(run.id) == ["Pending", "Running", "AwaitingRetry", "Retrying", "Completed"]
    assert run.run_count == 2


def test_delay_rules():
    assert retry_delay(2, 3, 1, None) == 2
    assert [retry_delay((1, 2), 4, n, None) for n in (1, 2, 3, 4)] == [1, 2, 2, 2]
    backoff = exponential_backoff(backoff_factor=3)
    assert [retry_delay(backoff, 3, n, None) for n in (1, 2, 3)] == [3, 6, 12]
    for _ in range(50):
        assert 10 <= retry_delay(10, 1, 1, 0.5) <= 15


def test_retry_delay_seconds_attribute_is_kept_as_prefect_keeps_it():
    @task(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=0.5))
    def backoff() -> None: ...

    @task(retries=2, retry_delay_seconds=(1, 2))
    def listed() -> None: ...

    @task(retry_delay_seconds=3)
    def single() -> None: ...

    assert backoff.retry_delay_seconds == [0.5, 1.0, 2.0]
    assert listed.retry_delay_seconds == [1, 2] and isinstance(listed.retry_delay_seconds, list)
    assert single.retry_delay_seconds == 3


def test_flow_task_runner_defaults_to_a_thread_pool():
    from headwater.task_runners import ThreadPoolTaskRunner

    given = ThreadPoolTaskRunner(max_workers=2)

    @flow
    def plain() -> int:
        return 1

    @flow(task_runner=given)
    def custom() -> int:
        return 2

    assert type(plain.task_runner) is ThreadPoolTaskRunner and plain.task_runner is plain.task_runner
    assert custom.task_runner is given
