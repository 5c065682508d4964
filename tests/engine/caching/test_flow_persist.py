"""A flow's persist_result applies to tasks that set no caching options."""

from pathlib import Path

from headwater import flow, task


def test_flow_persist_result_persists_plain_tasks(history, home: Path):
    @task
    def plain(x: int) -> dict:
        return {"x": x}

    @flow(persist_result=True)
    def pipeline():
        return plain(1)

    assert pipeline() == {"x": 1}
    (task_run,) = history.store.history.read_task_runs(history.only_flow_run().id)
    details = task_run.state.details or {}
    assert details.get("storage_key"), details
    stored = list((home / "storage").rglob("*"))
    assert any(p.is_file() for p in stored), stored


def test_flow_persist_result_writes_the_flows_own_result_to_its_storage(home: Path, tmp_path: Path):
    from headwater.results import open_storage, read_result

    storage = tmp_path / "flow-results"

    @flow(persist_result=True, result_storage=storage, result_serializer="json")
    def answer() -> int:
        return 42

    state = answer(return_state=True)
    assert state.result() == 42
    (record,) = [p for p in storage.iterdir() if p.is_file()]
    assert state.details["storage_key"] == str(record)
    assert read_result(open_storage(str(storage)), record.name).value == 42


def test_a_flow_without_persist_result_writes_nothing(home: Path, tmp_path: Path):
    @flow(result_storage=tmp_path / "never")
    def answer() -> int:
        return 42

    assert answer() == 42
    assert not (tmp_path / "never").exists()


def test_a_flow_returning_mapped_futures_gives_a_plain_list_of_states(home: Path):
    from headwater.core.states import State

    @task
    def double(x: int) -> int:
        return 2 * x

    @flow
    def mapped():
        return double.map([1, 2])

    out = mapped()
    assert type(out) is list and all(isinstance(s, State) for s in out)
    assert [s.result() for s in out] == [2, 4]
