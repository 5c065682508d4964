from dataclasses import dataclass

from headwater import flow, task
from headwater.engine.lineage import ResultLineage


@dataclass
class Table:
    rows: list


def test_values_passed_between_tasks_become_graph_edges(history):
    @task
    def download(since: str) -> dict:
        return {"items": [since]}

    @task
    def handle(data: dict) -> list:
        return data["items"]

    @task
    def save(rows: list, extra: Table) -> int:
        return len(rows)

    @task
    def make_table() -> Table:
        return Table([1])

    @flow
    def trending(since: str = "daily"):
        rows = handle(download(since))
        return save(rows, extra=make_table())

    assert trending() == 1
    run = history.only_flow_run()
    by_name = {t.task_name: t for t in history.store.history.read_task_runs(run.id)}
    assert by_name["download"].upstream == []
    assert by_name["handle"].upstream == [by_name["download"].id]
    assert sorted(by_name["save"].upstream) == sorted([by_name["handle"].id, by_name["make_table"].id])


def test_lists_of_results_and_subflow_results_are_traced(history):
    @task
    def part(i: int) -> list:
        return [i]

    @task
    def combine(parts: list) -> int:
        return len(parts)

    @flow
    def child() -> list:
        return ["from child"]

    @flow
    def parent():
        parts = [part(i) for i in range(3)]
        combine(parts)
        combine(child())

    parent()
    run = next(r for r in history.store.flow_runs.list_flow_runs() if r.flow_name == "parent")
    task_runs = history.store.history.read_task_runs(run.id)
    parts = {t.id for t in task_runs if t.task_name == "part"}
    combines = [t for t in task_runs if t.task_name == "combine"]
    placeholder = next(t for t in task_runs if t.task_name == "child")
    assert set(combines[0].upstream) == parts
    assert combines[1].upstream == [placeholder.id]


def test_shared_constants_are_not_mistaken_for_results():
    lineage = ResultLineage()
    lineage.record(None, "a")
    lineage.record(True, "b")
    lineage.record(5, "c")
    value = ["x"]
    lineage.record(value, "d")
    import inspect

    def fn(p, q, r, s):
        pass

    assert lineage.upstream(inspect.signature(fn), (None, True, 5, value), {}) == (("s", "d", "data"),)
    assert lineage.producer(["x"]) is None  # equal, but not the same object


def test_strong_references_are_bounded():
    lineage = ResultLineage(size=10)
    values = [[i] for i in range(100)]
    for i, value in enumerate(values):
        lineage.record(value, str(i))
    assert lineage.producer(values[0]) is None
    assert lineage.producer(values[-1]) == "99"
    assert len(lineage._strong) == 10
