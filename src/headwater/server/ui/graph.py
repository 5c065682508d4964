"""The dependency graph of a flow run: group task runs, lay them out in layers, draw SVG.

Task runs become nodes; the input edges recorded by the engine (`task_run_inputs`,
kind "data" or "wait_for") become arrows from upstream to downstream. Mapped tasks
(many runs of one `task_key`) are grouped into one node that the page can expand, so
a map over 5,000 items is one node, not 5,000. At most `MAX_NODES` nodes are drawn (in
dependency order); the rest are counted in a note.

The layout is layered, left to right, computed here (no graphviz):

1. order the nodes topologically (Kahn), breaking any cycle between groups at the
   earliest-created node still waiting;
2. put each node one layer right of its furthest-right upstream node;
3. order each layer by the mean position of its upstream nodes (two barycenter sweeps),
   which keeps most arrows short and uncrossed.

A Prefect 1 style flow's static graph (kept with its deployment) is drawn the same
way before any run exists (`layout_static_graph`, `render_graph_svg(static=True)`):
its Parameters and task calls become nodes without a state, its edges the arrows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from headwater.core.deployment_schemas import StaticGraph
from headwater.store.ui_queries import EdgeRow, TaskRunRow

__all__ = ["GraphLayout", "LayoutNode", "MAX_NODES", "layout_graph", "layout_static_graph", "render_graph_svg"]

MAX_NODES = 400
GROUP_AT = 3
"""A task_key with this many runs or more in one flow run is drawn as one group node."""

NODE_W, NODE_H = 168, 40
GAP_X, GAP_Y = 64, 16
PAD = 12


@dataclass
class LayoutNode:
    """A node: one task run, or a group of the runs of one mapped task."""

    key: str
    label: str
    run_ids: list[str]
    created: float
    states: Counter[str] = field(default_factory=Counter)
    layer: int = 0
    position: int = 0
    kind: str = "task"
    """For static graphs: "parameter", "task" or "mapped" (a task called with `.map`)."""

    @property
    def is_group(self) -> bool:
        return len(self.run_ids) > 1

    @property
    def state(self) -> str:
        """The state type shown: the worst one among its runs (failures first)."""
        for state in ("CRASHED", "FAILED", "CANCELLED", "CANCELLING", "RUNNING", "PENDING", "SCHEDULED", "PAUSED"):
            if self.states.get(state):
                return state
        return "COMPLETED" if self.states else "PENDING"


@dataclass
class GraphLayout:
    """Positioned nodes and edges, ready to draw."""

    nodes: list[LayoutNode]
    edges: list[tuple[str, str, str]]  # (from key, to key, kinds: "data", "wait_for" or "data wait_for")
    hidden_nodes: int = 0
    width: int = 0
    height: int = 0


def _group_nodes(task_runs: Sequence[TaskRunRow]) -> tuple[dict[str, LayoutNode], dict[str, str]]:
    per_key = Counter(run.task_key for run in task_runs)
    nodes: dict[str, LayoutNode] = {}
    node_of_run: dict[str, str] = {}
    for run in task_runs:
        key = f"k:{run.task_key}" if per_key[run.task_key] >= GROUP_AT else f"r:{run.id}"
        node = nodes.get(key)
        if node is None:
            label = run.task_name if key.startswith("k:") else run.name
            node = nodes[key] = LayoutNode(key=key, label=label, run_ids=[], created=run.created)
        node.run_ids.append(run.id)
        node.states[run.state_type or "PENDING"] += 1
        node_of_run[run.id] = key
    return nodes, node_of_run


def _topological(nodes: dict[str, LayoutNode], preds: dict[str, set[str]], succs: dict[str, set[str]]) -> list[str]:
    waiting = {key: len(preds[key]) for key in nodes}
    by_creation = sorted(nodes, key=lambda key: nodes[key].created)
    ready = [key for key in by_creation if waiting[key] == 0]
    order: list[str] = []
    placed: set[str] = set()
    cursor = 0
    while len(order) < len(nodes):
        if not ready:
            # A cycle between groups: release the earliest-created node still waiting.
            while by_creation[cursor] in placed:
                cursor += 1
            ready.append(by_creation[cursor])
        key = ready.pop(0)
        if key in placed:
            continue
        placed.add(key)
        order.append(key)
        for nxt in sorted(succs[key], key=lambda k: nodes[k].created):
            waiting[nxt] -= 1
            if waiting[nxt] == 0 and nxt not in placed:
                ready.append(nxt)
    return order


def layout_graph(task_runs: Sequence[TaskRunRow], edges: Iterable[EdgeRow], *, max_nodes: int = MAX_NODES
                 ) -> GraphLayout:
    """Group, order and place the task runs of one flow run (see the module docstring)."""
    nodes, node_of_run = _group_nodes(task_runs)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for edge in edges:
        src, dst = node_of_run.get(edge.upstream_id), node_of_run.get(edge.task_run_id)
        if src is not None and dst is not None and src != dst:
            kinds[(src, dst)].add(edge.kind)
    preds: dict[str, set[str]] = {key: set() for key in nodes}
    succs: dict[str, set[str]] = {key: set() for key in nodes}
    for src, dst in kinds:
        preds[dst].add(src)
        succs[src].add(dst)
    order = _topological(nodes, preds, succs)
    shown = order[:max_nodes]
    shown_set = set(shown)
    index = {key: i for i, key in enumerate(order)}
    layers: dict[int, list[str]] = defaultdict(list)
    for key in shown:
        earlier = [nodes[p].layer + 1 for p in preds[key] if p in shown_set and index[p] < index[key]]
        nodes[key].layer = max(earlier, default=0)
        layers[nodes[key].layer].append(key)
    _order_layers(nodes, layers, preds)
    width = (max(layers, default=0) + 1) * (NODE_W + GAP_X) - GAP_X + 2 * PAD
    tallest = max((len(keys) for keys in layers.values()), default=0)
    height = max(tallest * (NODE_H + GAP_Y) - GAP_Y + 2 * PAD, NODE_H + 2 * PAD)
    drawn_edges = [(s, d, " ".join(sorted(k))) for (s, d), k in kinds.items() if s in shown_set and d in shown_set]
    return GraphLayout(nodes=[nodes[key] for key in shown], edges=drawn_edges,
                       hidden_nodes=len(order) - len(shown), width=width, height=height)


def layout_static_graph(graph: StaticGraph, *, max_nodes: int = MAX_NODES) -> GraphLayout:
    """Place a static flow's nodes and edges as `layout_graph` places a run's task runs."""
    rows = [TaskRunRow(id=node.key, name=node.key, task_name=node.task_name, task_key=f"static:{node.key}",
                       dynamic_key=0, state_type=None, state_name=None, created=float(index), start_time=None,
                       end_time=None, updated=0.0)
            for index, node in enumerate(graph.nodes)]
    edges = [EdgeRow(task_run_id=edge.downstream, upstream_id=edge.upstream, parameter=edge.argument or "",
                     kind=edge.kind) for edge in graph.edges]
    layout = layout_graph(rows, edges, max_nodes=max_nodes)
    kinds = {node.key: "mapped" if node.mapped else node.kind for node in graph.nodes}
    for node in layout.nodes:
        node.kind = kinds.get(node.run_ids[0], "task")
        node.states.clear()
    return layout


def _order_layers(nodes: dict[str, LayoutNode], layers: dict[int, list[str]], preds: dict[str, set[str]]) -> None:
    for keys in layers.values():
        for i, key in enumerate(keys):
            nodes[key].position = i
    for _ in range(2):
        for layer in sorted(layers)[1:]:
            keys = layers[layer]

            def barycenter(key: str) -> float:
                ups = [nodes[p].position for p in preds[key] if p in nodes and nodes[p].layer < layer]
                return sum(ups) / len(ups) if ups else float(nodes[key].position)

            keys.sort(key=lambda k: (barycenter(k), nodes[k].created))
            for i, key in enumerate(keys):
                nodes[key].position = i


def _xy(node: LayoutNode) -> tuple[int, int]:
    return PAD + node.layer * (NODE_W + GAP_X), PAD + node.position * (NODE_H + GAP_Y)


def _short(text: str, limit: int = 22) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_graph_svg(layout: GraphLayout, flow_run_id: str, *, static: bool = False) -> Markup:
    """The graph as an inline SVG element; every name is escaped text.

    Args:
        static: a static flow's graph (`layout_static_graph`): nodes show their kind,
            not a state, and are not links to task runs.
    """
    if static:
        return _render_static_svg(layout)
    where = {node.key: _xy(node) for node in layout.nodes}
    parts = [
        f'<svg class="graph" role="img" aria-label="task dependency graph" data-flow-run="{escape(flow_run_id)}" '
        f'width="{layout.width}" height="{layout.height}" viewBox="0 0 {layout.width} {layout.height}">',
        *_edges_svg(layout, where),
        '<g class="nodes">',
    ]
    for node in layout.nodes:
        x, y = where[node.key]
        count = len(node.run_ids)
        title = f"{node.label} ×{count}" if node.is_group else node.label
        states = ", ".join(f"{n} {s.lower()}" for s, n in sorted(node.states.items()))
        attrs = (f'class="node s-{node.state}{" group" if node.is_group else ""}" tabindex="0" role="button" '
                 f'data-key="{escape(node.key)}" data-run="{escape(node.run_ids[0])}" data-count="{count}" '
                 f'transform="translate({x},{y})"')
        parts.append(f"<g {attrs}><title>{escape(title)}: {escape(states)}</title>"
                     f'<rect width="{NODE_W}" height="{NODE_H}" rx="6"/>'
                     f'<text x="10" y="{NODE_H / 2 + 4}">{escape(_short(node.label))}</text>')
        if node.is_group:
            parts.append(f'<text class="count" x="{NODE_W - 8}" y="{NODE_H / 2 + 4}" text-anchor="end">'
                         f"×{count}</text>")
        parts.append("</g>")
    parts.append("</g></svg>")
    return Markup("".join(parts))


_STATIC_KINDS = {"parameter": "Parameter", "task": "task", "mapped": "mapped task (.map)"}


def _edges_svg(layout: GraphLayout, where: dict[str, tuple[int, int]]) -> list[str]:
    parts = ['<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" class="arrowhead"/></marker></defs>'
             '<g class="edges">']
    for src, dst, kind in layout.edges:
        (x1, y1), (x2, y2) = where[src], where[dst]
        sx, sy, ex, ey = x1 + NODE_W, y1 + NODE_H / 2, x2, y2 + NODE_H / 2
        bend = max((ex - sx) / 2, 24)
        parts.append(
            f'<path class="edge {escape(kind)}" d="M{sx},{sy} C{sx + bend},{sy} {ex - bend},{ey} {ex},{ey}" '
            f'marker-end="url(#arrow)"/>'
        )
    parts.append("</g>")
    return parts


def _render_static_svg(layout: GraphLayout) -> Markup:
    where = {node.key: _xy(node) for node in layout.nodes}
    parts = [
        f'<svg class="graph static" role="img" aria-label="the flow\'s static task graph" width="{layout.width}" '
        f'height="{layout.height}" viewBox="0 0 {layout.width} {layout.height}">',
        *_edges_svg(layout, where),
        '<g class="nodes">',
    ]
    for node in layout.nodes:
        x, y = where[node.key]
        parts.append(f'<g class="node k-{escape(node.kind)}" data-key="{escape(node.run_ids[0])}" '
                     f'transform="translate({x},{y})"><title>{escape(node.label)}: '
                     f'{escape(_STATIC_KINDS.get(node.kind, node.kind))}</title>'
                     f'<rect width="{NODE_W}" height="{NODE_H}" rx="{NODE_H / 2 if node.kind == "parameter" else 6}"/>'
                     f'<text x="10" y="{NODE_H / 2 + 4}">{escape(_short(node.label))}</text>')
        if node.kind == "mapped":
            parts.append(f'<text class="count" x="{NODE_W - 8}" y="{NODE_H / 2 + 4}" text-anchor="end">map</text>')
        parts.append("</g>")
    parts.append("</g></svg>")
    return Markup("".join(parts))
