"""Caching and persistence of task results in one process (see test_processes.py for several)."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from headwater import flow, task
from headwater.cache_policies import DEFAULT, FLOW_PARAMETERS, INPUTS, NONE, TASK_SOURCE
from headwater.core import clock
from headwater.core.settings import reset_settings
from headwater.exceptions import InvalidDefinitionError, MissingResult
from headwater.orchestrator import shutdown
from headwater.results import ResultReference, SerializationError, UnsafeStorageKey

from .helpers import log_lines

CACHED = "Finished in state Cached(type=COMPLETED)"


def record_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and ".locks" not in p.parts)


class Counter:
    """Counts the real calls of a task, by argument."""

    def __init__(self) -> None:
        self.calls: list[object] = []
        self._lock = threading.Lock()

    def __call__(self, value: object) -> int:
        with self._lock:
            self.calls.append(value)
            return len(self.calls)


def test_a_task_without_a_policy_is_neither_cached_nor_persisted(home):
    count = Counter()

    @task
    def double(x: int) -> int:
        count(x)
        return 2 * x

    @flow
    def pipeline() -> list[int]:
        return [double(1), double(1)]

    assert pipeline() == [2, 2] and pipeline() == [2, 2]
    assert len(count.calls) == 4
    assert not (home / "storage").exists()


def test_inputs_policy_hits_across_flow_runs_and_records_the_cached_state(home, history, capsys):
    count = Counter()

    @task(cache_policy=INPUTS, cache_expiration=timedelta(days=1))
    def double(x: int) -> int:
        count(x)
        return 2 * x

    @flow
    def pipeline(x: int) -> int:
        return double(x)

    assert pipeline(3) == 6
    assert pipeline(3) == 6
    assert count.calls == [3]
    assert log_lines(capsys.readouterr().err).count(CACHED) == 1

    store = history.store
    newest = store.flow_runs.list_flow_runs(limit=1)[0]
    (task_run,) = store.history.read_task_runs(newest.id)
    assert task_run.state.name == "Cached" and task_run.state.type == "COMPLETED"
    assert task_run.run_count == 0, "a cache hit does not run the function"
    states = store.history.read_states(task_run.id)
    assert [s.name for s in states] == ["Pending", "Cached"]
    details = states[-1].details
    assert set(details) == {"cache_key", "storage_key", "expires"}
    assert Path(details["storage_key"]).is_file()
    assert Path(details["storage_key"]).is_relative_to(home / "storage")
    assert details["expires"].endswith("+00:00")


def test_different_inputs_miss_and_an_excluded_argument_does_not_count(home):
    count = Counter()

    @task(cache_policy=INPUTS - "verbose")
    def double(x: int, verbose: bool = False) -> int:
        count(x)
        return 2 * x

    assert double(1) == 2 and double(2) == 4
    assert double(1, verbose=True) == 2
    assert double(x=2) == 4
    assert count.calls == [1, 2]


def test_equal_inputs_to_two_tasks_never_share_a_result(home):
    @task(cache_policy=INPUTS)
    def double(x: int) -> int:
        return 2 * x

    @task(cache_policy=INPUTS)
    def triple(x: int) -> int:
        return 3 * x

    assert double(5) == 10 and triple(5) == 15
    assert double(5) == 10 and triple(5) == 15


def test_dict_and_dataclass_inputs_hit_regardless_of_order(home):
    import dataclasses

    @dataclasses.dataclass
    class Query:
        table: str
        columns: list[str]

    count = Counter()

    @task(cache_policy=INPUTS)
    def run_query(query: Query, options: dict) -> str:
        count(query.table)
        return f"{query.table}:{sorted(options)}"

    first = run_query(Query("t", ["a"]), {"limit": 1, "order": "a"})
    second = run_query(Query("t", ["a"]), {"order": "a", "limit": 1})
    assert first == second and len(count.calls) == 1
    run_query(Query("t", ["b"]), {"limit": 1, "order": "a"})
    assert len(count.calls) == 2


def test_an_expired_record_is_computed_again_with_a_warning(home, capsys):
    count = Counter()

    @task(cache_policy=INPUTS, cache_expiration=timedelta(hours=1))
    def double(x: int) -> int:
        return 2 * x + count(x) * 0

    start = clock.now()
    with clock.use_clock(lambda: start):
        double(1)
    with clock.use_clock(lambda: start + 3599):
        assert double(1, return_state=True).name == "Cached"
    with clock.use_clock(lambda: start + 3601):
        state = double(1, return_state=True)
    assert state.name == "Completed" and len(count.calls) == 2
    (warning,) = log_lines(capsys.readouterr().err, "WARNING")
    assert " expired at " in warning and warning.endswith("computing it again")
    assert state.details["expires"] is not None


def test_refresh_cache_recomputes_and_overwrites(home):
    count = Counter()

    @task(cache_policy=INPUTS)
    def stamp(x: int) -> int:
        return count(x)

    assert stamp(1) == 1
    assert stamp.with_options(refresh_cache=True)(1) == 2
    assert stamp(1) == 2, "the refreshed result replaced the record"


def test_the_refresh_setting_applies_to_every_task_unless_a_task_says_otherwise(home, monkeypatch):
    count = Counter()

    @task(cache_policy=INPUTS)
    def stamp(x: int) -> int:
        return count(x)

    keep = stamp.with_options(refresh_cache=False)
    assert stamp(1) == 1
    shutdown()
    monkeypatch.setenv("HEADWATER_REFRESH_CACHE", "1")
    reset_settings()
    assert stamp(1) == 2
    assert keep(1) == 2, "refresh_cache=False on the task wins over the setting"


def test_a_damaged_record_is_computed_again_with_one_warning(home, capsys):
    count = Counter()

    @task(cache_policy=INPUTS)
    def double(x: int) -> int:
        count(x)
        return 2 * x

    double(1)
    (record,) = record_files(home / "storage")
    record.write_bytes(record.read_bytes()[:-1])
    capsys.readouterr()

    state = double(1, return_state=True)
    assert state.name == "Completed" and state.result() == 2 and len(count.calls) == 2
    (warning,) = log_lines(capsys.readouterr().err, "WARNING")
    assert "truncated" in warning and str(record) in warning
    assert double(1, return_state=True).name == "Cached"


def test_a_result_that_cannot_be_serialized_completes_unpersisted_with_a_warning(home, capsys):
    count = Counter()

    @task(cache_policy=INPUTS)
    def make_lock(x: int) -> object:
        count(x)
        return threading.Lock()

    state = make_lock(1, return_state=True)
    assert state.is_completed() and type(state.result()).__name__ == "lock"
    (warning,) = log_lines(capsys.readouterr().err, "WARNING")
    assert "_thread.lock" in warning and "'pickle' serializer" in warning
    assert record_files(home / "storage") == []
    assert make_lock(1, return_state=True).name == "Completed" and len(count.calls) == 2  # nothing cached


def test_json_results_keep_their_types_as_prefects_encoder_does(home):
    import datetime

    @task(cache_policy=INPUTS, result_serializer="json")
    def typed(x: int) -> dict:
        return {"set": {x}, "when": datetime.date(2024, 1, x), "error": ValueError("bad")}

    typed(1)
    cached = typed(1, return_state=True)
    assert cached.name == "Cached"
    value = cached.result()
    assert value["set"] == {1} and value["when"] == datetime.date(2024, 1, 1)
    assert type(value["error"]) is ValueError and value["error"].args == ("bad",)


def test_a_hit_in_the_writing_process_gives_back_the_value_itself(home):
    @task(cache_policy=INPUTS, result_serializer="json")
    def pair(x: int) -> tuple:
        return (x, x + 1)

    assert pair(1) == (1, 2)
    cached = pair(1, return_state=True)
    assert cached.name == "Cached" and cached.result() == (1, 2) and type(cached.result()) is tuple

    @task(cache_policy=INPUTS, result_serializer="json", cache_result_in_memory=False)
    def listed(x: int) -> tuple:
        return (x, x + 1)

    listed(1)
    assert listed(1, return_state=True).result() == [1, 2]  # read back from the record: JSON has no tuples


def test_compressed_json_is_a_serializer_name(home):
    @task(cache_policy=INPUTS, result_serializer="compressed/json")
    def words(n: int) -> dict:
        return {"n": n}

    assert words(2) == {"n": 2}
    cached = words(2, return_state=True)
    assert cached.name == "Cached" and cached.result() == {"n": 2}


def test_persist_result_off_runs_uncached_even_with_a_policy(home):
    count = Counter()

    @task(cache_policy=INPUTS, persist_result=False)
    def make_lock(x: int) -> object:
        count(x)
        return threading.Lock()

    assert make_lock(1, return_state=True).is_completed()
    assert make_lock(1, return_state=True).is_completed()
    assert len(count.calls) == 2 and record_files(home / "storage") == []


def test_an_unhashable_argument_warns_once_and_runs_uncached(home, capsys):
    count = Counter()

    @task(cache_policy=INPUTS)
    def use(x: int, client: object) -> int:
        count(x)
        return x

    lock = threading.Lock()
    assert use(1, lock) == 1 and use(1, lock) == 1
    assert len(count.calls) == 2
    warnings = log_lines(capsys.readouterr().err, "WARNING")
    assert len(warnings) == 1
    assert "argument 'client' (_thread.lock) cannot be hashed into a cache key" in warnings[0]
    assert "cache_policy=INPUTS - 'client'" in warnings[0]
    assert warnings[0].endswith("This call runs uncached")

    excluded = use.with_options(cache_policy=INPUTS - "client")
    excluded(1, lock)
    assert excluded(1, threading.Lock(), return_state=True).name == "Cached"
    assert log_lines(capsys.readouterr().err, "WARNING") == []


def test_a_client_holding_a_lock_names_the_argument_and_what_it_holds(home, capsys):
    class Client:
        def __init__(self) -> None:
            self.url = "http://x"
            self._pool_lock = threading.RLock()

    @task(cache_policy=INPUTS + TASK_SOURCE)
    def fetch(path: str, client: Client) -> str:
        return path

    assert fetch("/a", Client()) == "/a"
    (warning,) = log_lines(capsys.readouterr().err, "WARNING")
    assert "argument 'client' (" in warning and "Client) cannot be hashed" in warning
    assert "it holds a _thread.RLock" in warning


def test_a_cache_key_fn_that_raises_fails_the_task_run_without_calling_it(home, capsys):
    count = Counter()

    def broken_key(context, parameters):  # type: ignore[no-untyped-def]
        raise ValueError("no key today")

    @task(cache_key_fn=broken_key, retries=2)
    def work(x: int) -> int:
        count(x)
        return x

    state = work(1, return_state=True)
    assert state.is_failed() and count.calls == []
    assert "cache_key_fn" in state.message and "broken_key" in state.message
    assert "ValueError: no key today" in state.message
    with pytest.raises(ValueError, match="no key today"):
        work(1)


def test_a_cache_key_fn_returning_a_non_string_fails_clearly(home):
    @task(cache_key_fn=lambda context, parameters: 42)
    def work(x: int) -> int:
        return x

    state = work(1, return_state=True)
    assert state.is_failed() and "returned int 42; it must return a string" in state.message


def test_cache_key_fn_keys_calls_and_none_means_uncached(home):
    count = Counter()

    def by_parity(context, parameters):  # type: ignore[no-untyped-def]
        assert context.task_run.name.startswith("work-") and context.parameters == parameters
        return None if parameters["x"] < 0 else f"parity-{parameters['x'] % 2}"

    @task(cache_key_fn=by_parity)
    def work(x: int) -> int:
        count(x)
        return x

    assert [work(1), work(3), work(2), work(-1), work(-1)] == [1, 1, 2, -1, -1]
    assert count.calls == [1, 2, -1, -1]


def test_default_policy_caches_within_a_flow_run_only(home):
    count = Counter()

    @task(cache_policy=DEFAULT)
    def double(x: int) -> int:
        count(x)
        return 2 * x

    @flow
    def pipeline() -> list[int]:
        return [double(1), double(1)]

    assert pipeline() == [2, 2] and len(count.calls) == 1
    pipeline()
    assert len(count.calls) == 2, "RUN_ID: another flow run computes again"


def test_flow_parameters_policy(home):
    count = Counter()

    @task(cache_policy=FLOW_PARAMETERS)
    def describe() -> str:
        return f"call {count(None)}"

    @flow
    def pipeline(region: str) -> str:
        return describe()

    assert pipeline("eu") == "call 1" and pipeline("eu") == "call 1" and pipeline("us") == "call 2"


def test_none_policy_with_persist_result_writes_but_never_reads(home):
    count = Counter()

    @task(cache_policy=NONE, persist_result=True)
    def double(x: int) -> int:
        count(x)
        return 2 * x

    first = double(1, return_state=True)
    double(1)
    assert len(count.calls) == 2
    assert first.details["cache_key"] is None and Path(first.details["storage_key"]).is_file()
    assert len(record_files(home / "storage")) == 2


def test_results_not_kept_in_memory_are_read_back_on_demand(home):
    @task(cache_policy=INPUTS, cache_result_in_memory=False)
    def big(x: int) -> list[int]:
        return list(range(x))

    state = big(5, return_state=True)
    assert isinstance(state.data, ResultReference)
    assert state.result() == [0, 1, 2, 3, 4]
    hit = big(5, return_state=True)
    assert hit.name == "Cached" and isinstance(hit.data, ResultReference) and hit.result() == [0, 1, 2, 3, 4]
    Path(hit.details["storage_key"]).unlink()
    with pytest.raises(MissingResult, match="is missing"):
        hit.result()


def test_result_storage_key_template_places_the_record(home, tmp_path):
    @task(cache_policy=INPUTS, result_storage=str(tmp_path / "results"),
          result_storage_key="reports/{parameters[day]}-{task_run.task_name}.json", result_serializer="json")
    def report(day: str) -> dict:
        return {"day": day}

    assert report("monday") == {"day": "monday"}
    assert (tmp_path / "results" / "reports" / "monday-report.json").is_file()
    assert report("monday", return_state=True).name == "Cached"


def test_path_traversal_in_a_storage_key_is_refused(home, tmp_path):
    with pytest.raises(InvalidDefinitionError, match=r"'\.\.' would leave the result storage"):
        task(cache_policy=INPUTS, result_storage_key="../../etc/x")(lambda: 1)
    with pytest.raises(InvalidDefinitionError, match="absolute path"):
        task(persist_result=True, result_storage_key="/etc/passwd")(lambda: 1)

    calls = Counter()

    @task(cache_policy=INPUTS, result_storage=str(tmp_path / "results"), result_storage_key="{parameters[name]}")
    def save(name: str) -> str:
        calls(name)
        return name

    state = save("../../escaped", return_state=True)
    assert state.is_failed() and calls.calls == []
    assert "renders to '../../escaped', which is refused: '..' would leave the result storage" in state.message
    assert isinstance(state.data, UnsafeStorageKey)
    assert not (tmp_path / "escaped").exists()
    state = save("{x.__class__}", return_state=True)
    assert state.is_completed(), "a parameter's value is data, not a template"


def test_a_template_cannot_reach_private_attributes(home):
    @task(persist_result=True, result_storage_key="{task_run.__class__.__init__}")
    def work() -> int:
        return 1

    state = work(return_state=True)
    assert state.is_failed() and "private attribute" in state.message


def test_fsspec_storage_by_url(home):
    count = Counter()

    @task(cache_policy=INPUTS, result_storage="memory://headwater-test-cache")
    def double(x: int) -> int:
        count(x)
        return 2 * x

    double(21)
    state = double(21, return_state=True)
    assert state.name == "Cached" and state.result() == 42 and len(count.calls) == 1
    assert state.details["storage_key"].startswith("memory://headwater-test-cache/")


def test_a_flows_result_storage_is_the_default_for_its_tasks(home, tmp_path):
    @task(cache_policy=INPUTS)
    def double(x: int) -> int:
        return 2 * x

    @flow(result_storage=str(tmp_path / "flow-results"))
    def pipeline() -> int:
        return double(2)

    pipeline()
    assert len(record_files(tmp_path / "flow-results")) == 1


def test_async_tasks_are_cached(home):
    count = Counter()

    @task(cache_policy=INPUTS)
    async def double(x: int) -> int:
        count(x)
        await asyncio.sleep(0)
        return 2 * x

    @flow
    async def pipeline() -> list[int]:
        return [await double(4), await double(4)]

    assert asyncio.run(pipeline()) == [8, 8] and count.calls == [4]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cache_policy": "inputs"}, "invalid cache_policy='inputs'"),
        ({"cache_policy": INPUTS, "cache_expiration": 60}, "invalid cache_expiration=60"),
        ({"cache_policy": INPUTS, "cache_expiration": timedelta(0)}, "positive datetime.timedelta"),
        ({"cache_policy": INPUTS, "result_serializer": "yaml"}, "unknown result_serializer 'yaml'"),
        ({"cache_policy": INPUTS, "isolation_level": "EXCLUSIVE"}, "invalid isolation_level='EXCLUSIVE'"),
        ({"cache_key_fn": "key"}, "invalid cache_key_fn='key'"),
        ({"persist_result": True, "result_storage": 42}, "invalid result_storage=42"),
    ],
)
def test_bad_caching_options_are_refused_when_the_task_is_defined(options, message):
    with pytest.raises(InvalidDefinitionError, match=message.replace("(", r"\(").replace(".", r"\.")):
        task(**options)(lambda: 1)


def test_a_flow_without_persistence_runs_its_tasks_uncached(home):
    count = Counter()

    @task(cache_policy=INPUTS)
    def double(x: int) -> int:
        count(x)
        return 2 * x

    @flow(persist_result=False)
    def pipeline() -> list[int]:
        return [double(1), double(1)]

    assert pipeline() == [2, 2] and len(count.calls) == 2
    assert record_files(home / "storage") == []


def test_the_in_memory_result_cache_is_bounded_and_eviction_loses_no_result(home):
    from headwater.engine import caching

    @task(cache_policy=INPUTS, result_serializer="json")
    def pair(i: int) -> tuple[int, int]:
        return (i, i)

    @flow
    def pipeline() -> list[object]:
        first = pair.submit(0, return_state=True).result()
        kept = pair.submit(0, return_state=True)  # a hit: the very object, from memory
        seen = [first, kept.name, kept.result() is first]
        for state in pair.map(range(1, caching._RECENT_MAX + 1), return_state=True):  # evicts 0's entry
            assert state.is_completed()
        again = pair.submit(0, return_state=True)  # a hit still: read back from the record
        return [*seen, again.name, again.result()]

    assert pipeline() == [(0, 0), "Cached", True, "Cached", [0, 0]]
    assert len(caching._recent) <= caching._RECENT_MAX
