"""The store's UI queries on both databases: pages, filters, buckets, tails, deltas."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from headwater.orchestrator.records import FlowRunCreated, LogEmitted, StateChanged, TaskInputsRecorded, TaskRunCreated
from headwater.store import Store
from headwater.store.ui_queries import FlowRunQuery

T0 = 1_700_000_000.0


def _id(n: int) -> str:
    return f"00000000-0000-7000-8000-{n:012d}"


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store.open(store_url) as store:
        records: list[object] = []
        for i in range(30):
            state = "FAILED" if i % 3 == 0 else "COMPLETED"
            records.append(FlowRunCreated(_id(i), f"flow-{i % 2}", f"run-{i}", {"i": i}, ["nightly"] if i < 10
                                          else [], None, T0 + i * 60))
            records.append(StateChanged(_id(i), False, state, state.capitalize(), "boom\nValueError: bad", T0 + i * 60,
                                        None))
        records.append(TaskRunCreated(_id(100), _id(29), "a-1", "a", "a-key", 0, [], T0 + 1800))
        records.append(TaskRunCreated(_id(101), _id(29), "b-1", "b", "b-key", 0, [], T0 + 1801))
        records.append(StateChanged(_id(100), True, "COMPLETED", "Completed", None, T0 + 1802, None))
        records.append(TaskInputsRecorded(_id(101), (("x", _id(100), "data"),)))
        records += [LogEmitted(_id(29), None, 20 if n % 2 else 40, "l", f"line {n}", T0 + 1800 + n) for n in range(10)]
        store.history.write(records)  # type: ignore[arg-type]
        yield store


def test_flow_runs_page_filters_and_counts(store: Store) -> None:
    page = store.ui.flow_runs(FlowRunQuery(page_size=7))
    assert page.total == 30 and [r.name for r in page.runs][:2] == ["run-29", "run-28"]
    failed = store.ui.flow_runs(FlowRunQuery(state_types=("FAILED",), flow_name="flow-0", page_size=50))
    assert failed.total == 5 and all(r.state and r.state.type == "FAILED" for r in failed.runs)
    tagged = store.ui.flow_runs(FlowRunQuery(tag="nightly", since=T0 + 300, until=T0 + 540))
    assert [r.name for r in tagged.runs] == ["run-8", "run-7", "run-6", "run-5"]
    last = store.ui.flow_runs(FlowRunQuery(page=5, page_size=7, sort="oldest"))
    assert [r.name for r in last.runs] == ["run-28", "run-29"]
    assert store.ui.flow_runs(FlowRunQuery(deployment_ids=())).total == 0


def test_state_counts_per_bucket(store: Store) -> None:
    counts = store.ui.state_counts(T0, 600.0)
    assert sum(n for _, _, n in counts) == 30
    assert (0, "FAILED", 4) in counts and (0, "COMPLETED", 6) in counts


def test_task_runs_edges_logs_and_deltas(store: Store) -> None:
    rows = store.ui.task_runs(_id(29))
    assert [r.name for r in rows] == ["a-1", "b-1"]
    assert [e.upstream_id for e in store.ui.edges(_id(29))] == [_id(100)]
    assert [link.name for link in store.ui.downstream(_id(100))] == ["b-1"]
    assert [r.name for r in store.ui.task_runs_updated(_id(29), T0 + 1801.5)] == ["a-1"]
    tail = store.ui.logs(flow_run_id=_id(29), tail=3)
    assert [line.message for line in tail] == ["line 7", "line 8", "line 9"]
    errors = store.ui.logs(flow_run_id=_id(29), min_level=40, tail=100)
    assert len(errors) == 5
    after = store.ui.logs(flow_run_id=_id(29), after_id=tail[0].id)
    assert [line.message for line in after] == ["line 8", "line 9"]
    updated, newest_log = store.ui.newest_activity(_id(29))
    assert updated == pytest.approx(T0 + 1802) and newest_log == tail[-1].id
