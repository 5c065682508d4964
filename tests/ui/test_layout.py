"""The timeline and graph layouts, without a browser: grouping, layers, packing, caps, escaping."""

from __future__ import annotations

from headwater.server.ui.graph import layout_graph, render_graph_svg
from headwater.server.ui.timeline import MAX_ROWS, layout_timeline, render_timeline_svg
from headwater.store.ui_queries import EdgeRow, TaskRunRow


def run(run_id: str, key: str, index: int = 0, start: float = 0.0, end: float = 1.0, state: str = "COMPLETED",
        name: str | None = None) -> TaskRunRow:
    return TaskRunRow(run_id, name or f"{key}-{run_id}", key, key, index, state, state.capitalize(), start, start,
                      end, end)


def test_mapped_runs_are_one_node_and_layers_follow_edges() -> None:
    runs = [run("a", "extract"), *[run(f"t{i}", "transform", i, 1, 2) for i in range(50)], run("z", "load", 0, 2, 3)]
    edges = [EdgeRow(f"t{i}", "a", "data", "data") for i in range(50)]
    edges += [EdgeRow("z", f"t{i}", "parts", "data") for i in range(50)] + [EdgeRow("z", "a", "wait_for", "wait_for")]
    layout = layout_graph(runs, edges)
    by_label = {node.label: node for node in layout.nodes}
    assert set(by_label) == {"extract-a", "transform", "load-z"}
    assert len(by_label["transform"].run_ids) == 50
    assert [by_label[n].layer for n in ("extract-a", "transform", "load-z")] == [0, 1, 2]
    kinds = {(s, d): k for s, d, k in layout.edges}
    assert kinds[("r:a", "r:z")] == "wait_for"
    assert kinds[("r:a", "k:transform")] == "data"


def test_cycles_between_groups_do_not_hang_and_every_node_is_placed() -> None:
    # a chain t0 -> u0 -> t1 -> u1 ...: as groups, t <-> u form a cycle.
    runs = [run(f"{k}{i}", k, i) for i in range(5) for k in ("t", "u")]
    edges = [EdgeRow(f"u{i}", f"t{i}", "x", "data") for i in range(5)]
    edges += [EdgeRow(f"t{i + 1}", f"u{i}", "x", "data") for i in range(4)]
    layout = layout_graph(runs, edges)
    assert sorted(node.label for node in layout.nodes) == ["t", "u"]


def test_graph_is_capped_and_says_how_many_nodes_are_hidden() -> None:
    runs = [run(f"r{i}", f"task{i}") for i in range(450)]
    layout = layout_graph(runs, [], max_nodes=400)
    assert len(layout.nodes) == 400 and layout.hidden_nodes == 50


def test_timeline_packs_many_runs_of_a_task_into_few_rows() -> None:
    # 5,000 runs, 8 at a time: 8 rows, every bar drawn.
    runs = [run(f"r{i}", "item", i, start=(i // 8) * 1.0, end=(i // 8) * 1.0 + 0.9) for i in range(5000)]
    timeline = layout_timeline(runs, now=10_000)
    assert timeline.packed and len(timeline.rows) == 8
    assert sum(len(row.runs) for row in timeline.rows) == 5000 and timeline.hidden_runs == 0
    svg = str(render_timeline_svg(timeline))
    assert svg.count('class="bar s-COMPLETED"') == 5000


def test_timeline_caps_rows_and_counts_what_it_left_out() -> None:
    runs = [run(f"r{i}", "item", i, start=0, end=1) for i in range(MAX_ROWS + 300)]  # all at once
    timeline = layout_timeline(runs, now=10)
    assert len(timeline.rows) == MAX_ROWS and timeline.hidden_runs == 300


def test_names_are_escaped_in_svg() -> None:
    runs = [run("a", "<script>x</script>", name='<img src=x onerror="alert(1)">')]
    assert "<img" not in str(render_timeline_svg(layout_timeline(runs, now=5)))
    graph = str(render_graph_svg(layout_graph(runs, []), '"><script>'))
    assert "<img" not in graph and "<script>" not in graph
