"""Drawing a `FlowGraph`: an SVG written here (no Graphviz), or Mermaid text.

The layout is the simple layered one DAGs read well in: each node sits one row
below its lowest upstream node, and each row is ordered by where its upstream
nodes are (one barycentre pass), which keeps most edges from crossing.
"""

from __future__ import annotations

import html
from typing import Any

from headwater.core.states import State, StateType
from headwater.engine.static.graph import FlowGraph, FlowGraphNode

__all__ = ["draw_mermaid", "draw_svg", "layout"]

_CHAR_WIDTH = 7.4  # average width of a 13px sans-serif character
_NODE_HEIGHT = 36
_ROW_GAP = 60
_COLUMN_GAP = 36
_MARGIN = 24

# fill, stroke for each state type; nodes with no state are drawn neutral
_COLOURS: dict[StateType | None, tuple[str, str]] = {
    None: ("#f8fafc", "#475569"),
    StateType.COMPLETED: ("#dcfce7", "#15803d"),
    StateType.FAILED: ("#fee2e2", "#b91c1c"),
    StateType.CRASHED: ("#ffedd5", "#c2410c"),
    StateType.CANCELLED: ("#e2e8f0", "#334155"),
    StateType.RUNNING: ("#dbeafe", "#1d4ed8"),
    StateType.PENDING: ("#f1f5f9", "#64748b"),
    StateType.SCHEDULED: ("#fef9c3", "#a16207"),
}
_PARAMETER_COLOURS = ("#ede9fe", "#6d28d9")


def _label(node: FlowGraphNode) -> str:
    return f"{node.key} (mapped)" if node.mapped else node.key


def layout(graph: FlowGraph) -> dict[str, tuple[float, float, float]]:
    """Each node's (x, y, width): top-left corner and box width, in pixels."""
    upstream: dict[str, list[str]] = {n.key: [] for n in graph.nodes}
    for edge in graph.edges:
        upstream[edge.downstream].append(edge.upstream)
    row_of: dict[str, int] = {}
    for node in graph.nodes:  # nodes come in run order: upstream rows are known
        row_of[node.key] = max((row_of[u] + 1 for u in upstream[node.key]), default=0)
    downstream: dict[str, list[str]] = {n.key: [] for n in graph.nodes}
    for edge in graph.edges:
        downstream[edge.upstream].append(edge.downstream)
    for node in graph.nodes:  # a source sits just above its first consumer, not at the top
        if not upstream[node.key] and downstream[node.key]:
            row_of[node.key] = min(row_of[d] for d in downstream[node.key]) - 1
    rows: list[list[FlowGraphNode]] = [[] for _ in range(max(row_of.values(), default=-1) + 1)]
    for node in graph.nodes:
        rows[row_of[node.key]].append(node)
    width = {n.key: max(96.0, len(_label(n)) * _CHAR_WIDTH + 32) for n in graph.nodes}
    centre: dict[str, float] = {}
    placed: dict[str, tuple[float, float, float]] = {}
    for index, row in enumerate(rows):
        if index:
            order = {n.key: i for i, n in enumerate(row)}
            row.sort(key=lambda n: (_mean([centre[u] for u in upstream[n.key]], order[n.key] * 1e6), order[n.key]))
        x = 0.0
        for node in row:
            centre[node.key] = x + width[node.key] / 2
            placed[node.key] = (x, index * (_NODE_HEIGHT + _ROW_GAP), width[node.key])
            x += width[node.key] + _COLUMN_GAP
    widest = max((sum(width[n.key] for n in row) + _COLUMN_GAP * (len(row) - 1) for row in rows), default=0.0)
    for row in rows:  # centre each row under the widest
        row_width = sum(width[n.key] for n in row) + _COLUMN_GAP * (len(row) - 1)
        shift = (widest - row_width) / 2 + _MARGIN
        for node in row:
            x, y, w = placed[node.key]
            placed[node.key] = (x + shift, y + _MARGIN, w)
            centre[node.key] = x + shift + w / 2
    return placed


def draw_svg(graph: FlowGraph, states: dict[str, State[Any]] | None = None) -> str:
    """The graph as a standalone SVG document: one `<g class="node ...">` per node.

    Args:
        graph: the flow's graph.
        states: optional state per node key, to colour nodes by how a run went.
    """
    boxes = layout(graph)
    width = max((x + w for x, _, w in boxes.values()), default=0.0) + _MARGIN
    height = max((y + _NODE_HEIGHT for _, y, _ in boxes.values()), default=0.0) + _MARGIN
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="system-ui, sans-serif" font-size="13">',
        f"<title>{html.escape(graph.name)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#64748b"/></marker></defs>',
    ]
    for edge in graph.edges:
        ux, uy, uw = boxes[edge.upstream]
        dx, dy, dw = boxes[edge.downstream]
        x1, y1, x2, y2 = ux + uw / 2, uy + _NODE_HEIGHT, dx + dw / 2, dy
        bend = (y2 - y1) / 2
        dash = ' stroke-dasharray="5 4"' if edge.kind == "wait_for" else ""
        out.append(
            f'<g class="edge {edge.kind}" data-upstream="{html.escape(edge.upstream)}" '
            f'data-downstream="{html.escape(edge.downstream)}">'
            f'<path d="M{x1:.1f},{y1:.1f} C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}" '
            f'fill="none" stroke="#64748b" stroke-width="1.4"{dash} marker-end="url(#arrow)"/>'
        )
        if edge.argument:
            out.append(
                f'<text x="{(x1 + x2) / 2 + 4:.1f}" y="{(y1 + y2) / 2 + 4:.1f}" font-size="11" fill="#475569" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{html.escape(edge.argument)}</text>'
            )
        out.append("</g>")
    for node in graph.nodes:
        x, y, w = boxes[node.key]
        state = (states or {}).get(node.key)
        fill, stroke = _PARAMETER_COLOURS if node.kind == "parameter" and state is None \
            else _COLOURS.get(state.type if state is not None else None, _COLOURS[None])
        radius = _NODE_HEIGHT / 2 if node.kind == "parameter" else 6
        tip = f"{node.kind} {node.key}" + (f": {state}" if state is not None else "")
        out.append(f'<g class="node {node.kind}" data-key="{html.escape(node.key)}"><title>{html.escape(tip)}</title>')
        if node.mapped:  # a second box behind: many runs of one call
            out.append(f'<rect x="{x + 4:.1f}" y="{y - 4:.1f}" width="{w:.1f}" height="{_NODE_HEIGHT}" rx="{radius}" '
                       f'fill="{fill}" stroke="{stroke}" stroke-width="1.2"/>')
        out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{_NODE_HEIGHT}" rx="{radius}" '
                   f'fill="{fill}" stroke="{stroke}" stroke-width="1.4"/>')
        out.append(f'<text x="{x + w / 2:.1f}" y="{y + _NODE_HEIGHT / 2 + 4.5:.1f}" text-anchor="middle" '
                   f'fill="#0f172a">{html.escape(_label(node))}</text></g>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def draw_mermaid(graph: FlowGraph, states: dict[str, State[Any]] | None = None) -> str:
    """The graph as a Mermaid flowchart (renders on GitHub, in many editors and docs).

    Parameters are stadium shapes, mapped calls double boxes, wait_for edges dotted.
    """
    ids = {node.key: f"n{i}" for i, node in enumerate(graph.nodes)}
    lines = ["flowchart TD"]
    for node in graph.nodes:
        label = _mermaid_text(_label(node))
        shape = f'(["{label}"])' if node.kind == "parameter" else f'[["{label}"]]' if node.mapped else f'["{label}"]'
        lines.append(f"    {ids[node.key]}{shape}")
    for edge in graph.edges:
        arrow = "-.->" if edge.kind == "wait_for" else "-->"
        label = f'|"{_mermaid_text(edge.argument)}"|' if edge.argument else ""
        lines.append(f"    {ids[edge.upstream]} {arrow}{label} {ids[edge.downstream]}")
    if states:
        used = sorted({s.type for s in states.values()}, key=lambda t: t.value)
        for state_type in used:
            fill, stroke = _COLOURS.get(state_type, _COLOURS[None])
            lines.append(f"    classDef {state_type.value.lower()} fill:{fill},stroke:{stroke}")
        for key, state in states.items():
            if key in ids:
                lines.append(f"    class {ids[key]} {state.type.value.lower()}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _mean(values: list[float], default: float) -> float:
    return sum(values) / len(values) if values else default
