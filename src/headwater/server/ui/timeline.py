"""The timeline of a flow run: a Gantt chart of its task runs as SVG.

Each task run is a bar from its start to its end on a shared time axis, coloured by
its state; a bar carries its name, state and duration for the hover card. Up to
`ROW_PER_RUN_UNTIL` task runs get a row each, labelled with the run's name. Beyond that
the runs of one task share rows: bars are packed into the fewest rows where they do
not overlap (a map over 5,000 items on 8 threads takes about 8 rows), so every bar is
still drawn while the chart stays a screen or two tall. At most `MAX_ROWS` rows are
drawn; the bars that would need more are counted in a note.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from headwater.server.ui.format import duration_text
from headwater.store.ui_queries import TaskRunRow

__all__ = ["Timeline", "layout_timeline", "render_timeline_svg"]

ROW_PER_RUN_UNTIL = 150
MAX_ROWS = 600
ROW_H, BAR_H = 20, 14
LABEL_W, CHART_W, AXIS_H = 180, 880, 22
MIN_BAR_W = 2


@dataclass
class Row:
    """One row of the chart: a label and the task runs drawn in it."""

    label: str
    runs: list[TaskRunRow]


@dataclass
class Timeline:
    """Rows of bars over the time span `[start, end]` (epoch seconds)."""

    rows: list[Row]
    start: float
    end: float
    hidden_runs: int = 0
    packed: bool = False


def _span(run: TaskRunRow, now: float) -> tuple[float, float]:
    start = run.start_time if run.start_time is not None else run.created
    end = run.end_time if run.end_time is not None else (now if run.start_time is not None else start)
    return start, max(end, start)


def layout_timeline(task_runs: Sequence[TaskRunRow], now: float) -> Timeline:
    """Place task runs in rows (one each, or packed per task; see the module docstring)."""
    if not task_runs:
        return Timeline(rows=[], start=now, end=now)
    spans = {run.id: _span(run, now) for run in task_runs}
    start = min(s for s, _ in spans.values())
    end = max(max(e for _, e in spans.values()), start + 1e-3)
    if len(task_runs) <= ROW_PER_RUN_UNTIL:
        return Timeline(rows=[Row(run.name, [run]) for run in task_runs], start=start, end=end)
    rows: list[Row] = []
    hidden = 0
    groups: dict[str, list[TaskRunRow]] = {}
    for run in task_runs:
        groups.setdefault(run.task_key, []).append(run)
    for runs in groups.values():
        lane_ends: list[float] = []
        lanes: list[Row] = []
        for run in sorted(runs, key=lambda r: spans[r.id][0]):
            run_start, run_end = spans[run.id]
            lane = next((i for i, lane_end in enumerate(lane_ends) if lane_end <= run_start), None)
            if lane is None:
                if len(rows) + len(lanes) >= MAX_ROWS:
                    hidden += 1
                    continue
                lane_ends.append(run_end)
                lanes.append(Row(f"{run.task_name} ({len(runs)})" if not lanes else "", []))
                lane = len(lanes) - 1
            lane_ends[lane] = run_end
            lanes[lane].runs.append(run)
        rows.extend(lanes)
    return Timeline(rows=rows, start=start, end=end, hidden_runs=hidden, packed=True)


def _tick_step(seconds: float) -> float:
    target = seconds / 8
    for step in (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600,
                 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400):
        if step >= target:
            return step
    return 86400 * math.ceil(target / 86400)


def _tick_label(offset: float, step: float) -> str:
    if step < 1:
        return f"{offset * 1000:.0f} ms" if offset < 1 else f"{offset:.{max(0, -int(math.floor(math.log10(step))))}f} s"
    if step < 60:
        return f"{offset:.0f} s"
    if step < 3600:
        return f"{offset / 60:.0f} min"
    return f"{offset / 3600:.0f} h"


def render_timeline_svg(timeline: Timeline) -> Markup:
    """The timeline as an inline SVG element; every name is escaped text."""
    span = timeline.end - timeline.start
    height = AXIS_H + len(timeline.rows) * ROW_H + 4
    width = LABEL_W + CHART_W + 8
    scale = CHART_W / span if span > 0 else 0.0
    parts = [f'<svg class="timeline" role="img" aria-label="timeline of task runs" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}"><g class="axis">']
    step = _tick_step(span)
    tick = 0.0
    while tick <= span + 1e-9:
        x = LABEL_W + tick * scale
        parts.append(f'<line x1="{x:.1f}" y1="{AXIS_H - 4}" x2="{x:.1f}" y2="{height}"/>'
                     f'<text x="{x + 3:.1f}" y="{AXIS_H - 8}">{escape(_tick_label(tick, step))}</text>')
        tick += step
    parts.append('</g><g class="rows">')
    for i, row in enumerate(timeline.rows):
        y = AXIS_H + i * ROW_H
        if row.label:
            label = row.label if len(row.label) <= 26 else row.label[:25] + "…"
            parts.append(f'<text class="label" x="4" y="{y + BAR_H}">{escape(label)}</text>')
        for run in row.runs:
            start = run.start_time if run.start_time is not None else run.created
            end = run.end_time if run.end_time is not None else (timeline.end if run.start_time is not None
                                                                   else start)
            x = LABEL_W + (start - timeline.start) * scale
            w = max((end - start) * scale, MIN_BAR_W)
            state = run.state_type or "PENDING"
            duration = duration_text(end - start) if run.start_time is not None else "not started"
            parts.append(
                f'<rect class="bar s-{escape(state)}" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{BAR_H}" '
                f'rx="2" data-id="{escape(run.id)}" data-name="{escape(run.name)}" '
                f'data-state="{escape(run.state_name or state)}" data-duration="{escape(duration)}"/>'
            )
    parts.append("</g></svg>")
    return Markup("".join(parts))
