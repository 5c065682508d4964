"""headwater.transactions: user transactions, and task runs as child transactions."""

from __future__ import annotations

import asyncio
import os

import pytest

from headwater import flow, task
from headwater.exceptions import ConfigurationError
from headwater.locking.memory import MemoryLockManager
from headwater.results import ResultStore
from headwater.transactions import (
    CommitMode,
    IsolationLevel,
    TransactionState,
    atransaction,
    get_transaction,
    transaction,
)


def test_enums_read_like_prefects():
    assert str(CommitMode.LAZY) == "CommitMode.LAZY" and f"{IsolationLevel.SERIALIZABLE}" == "IsolationLevel.SERIALIZABLE"
    assert TransactionState.COMMITTED == "COMMITTED"


def test_a_failing_task_rolls_back_the_tasks_before_it_newest_first(home, tmp_path):
    events = []

    @task
    def write(name):
        (tmp_path / name).write_text("x")
        get_transaction().set("path", name)

    @write.on_rollback
    def undo(txn):
        events.append(("rollback", txn.get("path")))
        (tmp_path / txn.get("path")).unlink()

    @write.on_commit
    def done(txn):
        events.append(("commit", txn.get("path")))

    @task
    def check(ok):
        if not ok:
            raise ValueError("bad data")

    @flow
    def pipeline(ok: bool):
        with transaction() as txn:
            write("a")
            write("b")
            check(ok)
        return txn.state

    with pytest.raises(ValueError, match="bad data"):
        pipeline(False)
    assert events == [("rollback", "b"), ("rollback", "a")]
    assert sorted(os.listdir(tmp_path)) == ["home"]

    events.clear()
    assert pipeline(True) is TransactionState.COMMITTED
    assert events == [("commit", "a"), ("commit", "b")]


def test_a_task_outside_any_transaction_commits_before_its_completion_hooks(home):
    order = []

    @task(on_completion=[lambda t, r, s: order.append("on_completion")], on_commit=[lambda txn: order.append("commit")])
    def step():
        order.append(("inside", get_transaction() is not None))
        return 1

    @flow
    def pipeline():
        return step()

    assert pipeline() == 1
    assert order == [("inside", True), "commit", "on_completion"]


def test_a_plain_task_gets_its_transaction_when_it_asks(home):
    seen = []

    @task
    def step():
        txn = get_transaction()
        txn.set("v", 1)
        seen.append((txn.state, txn.get_parent(), get_transaction() is txn, txn.get("v")))

    @flow
    def pipeline():
        step()

    pipeline()
    assert seen == [(TransactionState.ACTIVE, None, True, 1)]
    assert get_transaction() is None


def test_running_a_flow_does_not_import_transactions(tmp_path):
    import subprocess
    import sys

    code = ("import sys\nfrom headwater import flow, task\n@task\ndef t(): return 1\n"
            "@flow\ndef f(): return t()\nf()\nprint('headwater.transactions' in sys.modules)")
    env = {**os.environ, "HEADWATER_HOME": str(tmp_path), "HEADWATER_LOGGING_TO_CONSOLE": "false"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert out.stdout.strip() == "False", out.stderr


def test_a_failed_attempt_rolls_back_the_enclosing_transaction_even_if_retried(home):
    events = []
    attempts = []

    @task(on_rollback=[lambda txn: events.append("first rolled back")])
    def first():
        return 1

    @task(retries=1, on_commit=[lambda txn: events.append("flaky committed")])
    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("once")
        return 2

    @flow
    def pipeline():
        with transaction() as txn:
            first()
            flaky()
        return txn.state

    assert pipeline() is TransactionState.ROLLED_BACK
    assert events == ["first rolled back"]


def test_a_returned_failed_state_runs_the_tasks_own_rollback_hooks(home):
    from headwater.states import Failed

    events = []

    @task(on_rollback=[lambda txn: events.append("own rollback")])
    def step():
        return Failed(message="no")

    @flow
    def pipeline():
        return step(return_state=True).type.value

    assert pipeline() == "FAILED"
    assert events == ["own rollback"]


def test_cache_records_inside_a_transaction_are_written_on_commit_only(home, tmp_path):
    from headwater.cache_policies import INPUTS

    calls = []

    @task(cache_policy=INPUTS, result_storage=str(tmp_path / "results"))
    def cached(x):
        calls.append(x)
        return x * 2

    @task
    def boom():
        raise RuntimeError("stop")

    @flow
    def pipeline(x: int, fail: bool):
        try:
            with transaction():
                cached(x)
                if fail:
                    boom()
        except RuntimeError:
            pass
        return cached(x)

    assert pipeline(1, True) == 2
    assert calls == [1, 1]  # the rolled-back run left no record, so the second call ran
    assert pipeline(2, False) == 4
    assert calls == [1, 1, 2]  # the committed run wrote its record: the second call is cached


def test_hooks_added_by_decorator_survive_with_options(home):
    events = []

    @task
    def step():
        return 1

    @step.on_commit
    def hook(txn):
        events.append("commit")

    other = step.with_options(name="other")

    @flow
    def pipeline():
        other()

    pipeline()
    assert events == ["commit"]
    with pytest.raises(TypeError):
        step.on_commit(42)


def test_nested_values_commit_modes_and_errors():
    with transaction() as outer:
        outer.set("k", {"a": 1})
        with transaction(commit_mode=CommitMode.EAGER) as eager:
            assert eager.get("k") == {"a": 1}
            eager.get("k")["a"] = 2
            assert outer.get("k") == {"a": 1}
        assert eager.is_committed()
        with transaction(commit_mode=CommitMode.OFF) as off:
            pass
        assert off.state is TransactionState.ACTIVE
    assert off.is_committed() and outer.is_committed()
    assert get_transaction() is None
    with pytest.raises(ValueError, match="unknown key"):
        outer.get("missing")


def test_a_hook_that_raises_on_commit_rolls_the_transaction_back():
    events = []

    def broken(txn):
        raise RuntimeError("hook failed")

    with transaction() as txn:
        txn.stage(1, on_commit_hooks=[broken], on_rollback_hooks=[lambda t: events.append("rolled back")])
    assert txn.is_rolled_back() and events == ["rolled back"]


def test_keyed_transactions_write_once_and_serializable_needs_locks(home, tmp_path):
    store = ResultStore(result_storage=str(tmp_path / "records"))
    with transaction(key="k", store=store) as txn:
        assert not txn.is_committed()
        txn.stage([1, 2])
    with transaction(key="k", store=store) as again:
        assert again.is_committed() and again.read().result == [1, 2]
    with pytest.raises(ConfigurationError, match="lock manager"):
        with transaction(key="k", store=store, isolation_level=IsolationLevel.SERIALIZABLE):
            pass
    locked = ResultStore(result_storage=str(tmp_path / "records"), lock_manager=MemoryLockManager())
    with transaction(key="s", store=locked, isolation_level="SERIALIZABLE") as txn:
        assert locked.is_locked("s")
        txn.stage("v")
    assert not locked.is_locked("s") and locked.read("s").result == "v"


def test_async_transactions_and_async_hooks():
    events = []

    async def hook(txn):
        await asyncio.sleep(0)
        events.append("async commit")

    async def main():
        async with atransaction() as txn:
            txn.stage(1, on_commit_hooks=[hook])
            assert get_transaction() is txn
        return txn.state

    assert asyncio.run(main()) is TransactionState.COMMITTED
    assert events == ["async commit"]
