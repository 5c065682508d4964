"""Drawing a static flow without running it: SVG written by headwater, and Mermaid text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from headwater import Flow, Parameter, task
from headwater.exceptions import InvalidDefinitionError

SVG = "{http://www.w3.org/2000/svg}"


@task
def download_data(since: str) -> dict[str, list[str]]:
    return {"items": [since]}


@task
def handle_data(data: dict[str, list[str]]) -> list[str]:
    return data["items"]


@task
def save_data(rows: list[str]) -> None: ...


@task
def announce() -> None: ...


def trending_flow() -> Flow:  # type: ignore[type-arg]
    with Flow("GitHub <Trending> & co") as flow:
        since = Parameter("since")
        data = download_data(since)
        rows = handle_data(data)
        save_data(rows, upstream_tasks=[announce])
        handle_data.map(data)
    return flow


def nodes_of(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)  # raises if the document is not well-formed XML
    assert root.tag == f"{SVG}svg"
    return {g.attrib["data-key"]: g for g in root.iter(f"{SVG}g") if "node" in g.attrib.get("class", "").split()}


def test_svg_has_a_node_per_task_and_parameter_and_an_edge_per_dependency() -> None:
    flow = trending_flow()

    svg = flow.visualize()

    nodes = nodes_of(svg)
    assert sorted(nodes) == sorted(n.key for n in flow.graph.nodes)
    assert sorted(nodes) == ["announce", "download_data", "handle_data", "handle_data-2", "save_data", "since"]
    assert nodes["since"].attrib["class"] == "node parameter"
    assert nodes["save_data"].find(f"{SVG}text").text == "save_data"  # type: ignore[union-attr]
    assert nodes["handle_data-2"].find(f"{SVG}text").text == "handle_data-2 (mapped)"  # type: ignore[union-attr]
    root = ET.fromstring(svg)
    edges = [g for g in root.iter(f"{SVG}g") if g.attrib.get("class", "").startswith("edge")]
    assert len(edges) == len(flow.graph.edges) == 5
    assert {e.attrib["class"] for e in edges} == {"edge data", "edge wait_for"}
    assert root.find(f"{SVG}title").text == "GitHub <Trending> & co"  # type: ignore[union-attr]


def test_nodes_sit_below_their_upstream_nodes() -> None:
    flow = trending_flow()
    nodes = nodes_of(flow.visualize())

    def top(key: str) -> float:
        return float(nodes[key].find(f"{SVG}rect").attrib["y"])  # type: ignore[union-attr]

    for edge in flow.graph.edges:
        assert top(edge.upstream) < top(edge.downstream), edge


def test_visualize_writes_the_file_adding_the_suffix(tmp_path: Path) -> None:
    flow = trending_flow()

    svg = flow.visualize(filename=tmp_path / "trending")
    mermaid = flow.visualize(filename=tmp_path / "trending", format="mermaid")

    assert (tmp_path / "trending.svg").read_text() == svg
    assert (tmp_path / "trending.mmd").read_text() == mermaid


def test_mermaid_text_lists_nodes_and_labelled_edges() -> None:
    mermaid = trending_flow().visualize(format="mermaid")

    assert mermaid.splitlines() == [
        "flowchart TD",
        '    n0(["since"])',
        '    n1["download_data"]',
        '    n2["handle_data"]',
        '    n3["announce"]',
        '    n4["save_data"]',
        '    n5[["handle_data-2 (mapped)"]]',
        '    n0 -->|"since"| n1',
        '    n1 -->|"data"| n2',
        '    n2 -->|"rows"| n4',
        "    n3 -.-> n4",
        '    n1 -->|"data"| n5',
    ]


def test_a_run_state_colours_the_nodes(home: Path) -> None:
    @task
    def fails() -> None:
        raise ValueError("no")

    with Flow("coloured") as flow:
        fails()
        announce()

    state = flow.run()
    nodes = nodes_of(flow.visualize(state))
    mermaid = flow.visualize(state, format="mermaid")

    assert nodes["fails"].find(f"{SVG}rect").attrib["fill"] == "#fee2e2"  # type: ignore[union-attr]
    assert nodes["announce"].find(f"{SVG}rect").attrib["fill"] == "#dcfce7"  # type: ignore[union-attr]
    assert "    class n0 failed" in mermaid and "    class n1 completed" in mermaid


def test_an_empty_flow_draws_an_empty_picture() -> None:
    with Flow("empty") as flow:
        pass
    assert nodes_of(flow.visualize()) == {}
    assert flow.visualize(format="mermaid") == "flowchart TD\n"


def test_formats_that_need_graphviz_are_refused_naming_the_ones_we_draw() -> None:
    with pytest.raises(InvalidDefinitionError, match=r"format='png'.*'svg'.*'mermaid'"):
        trending_flow().visualize(format="png")


def test_graph_as_dict_is_json_ready() -> None:
    import json

    data = json.loads(json.dumps(trending_flow().graph.as_dict()))
    assert data["name"] == "GitHub <Trending> & co"
    assert data["nodes"][0] == {"key": "since", "kind": "parameter", "task_name": "since", "mapped": False,
                                "required": True}
    assert {"upstream": "announce", "downstream": "save_data", "argument": None, "kind": "wait_for"} in data["edges"]
