"""The dashboard's chart: flow runs per time bucket, stacked by state, as SVG."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

from markupsafe import Markup, escape

__all__ = ["STATE_ORDER", "render_state_chart"]

STATE_ORDER = ("COMPLETED", "RUNNING", "PENDING", "SCHEDULED", "PAUSED", "CANCELLING", "CANCELLED", "FAILED",
               "CRASHED")
"""Stacking order, bottom to top: the healthy mass below, the failures on top where they catch the eye."""

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 880, 200, 36, 22, 8


def _label(ts: float, bucket_seconds: float) -> str:
    moment = datetime.fromtimestamp(ts, tz=timezone.utc)
    return moment.strftime("%H:%M") if bucket_seconds < 86400 / 4 else moment.strftime("%a %d")


def render_state_chart(counts: Iterable[tuple[int, str, int]], *, since: float, bucket_seconds: float,
                       buckets: int) -> Markup:
    """Stacked bars of `(bucket index, state type, count)` rows; one bar per bucket."""
    per_bucket: list[dict[str, int]] = [{} for _ in range(buckets)]
    for index, state, count in counts:
        if 0 <= index < buckets:
            per_bucket[index][state] = per_bucket[index].get(state, 0) + count
    peak = max((sum(b.values()) for b in per_bucket), default=0) or 1
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / buckets
    bar_w = max(slot - 3, 1)
    parts = [f'<svg class="chart" role="img" aria-label="flow runs by state over time" width="{WIDTH}" '
             f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><g class="axis">',
             f'<text x="{LEFT - 6}" y="{TOP + 8}" text-anchor="end">{peak}</text>',
             f'<text x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" text-anchor="end">0</text>',
             f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - BOTTOM}"/>']
    label_every = max(1, buckets // 8)
    for i in range(0, buckets, label_every):
        x = LEFT + i * slot
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - 6}">{escape(_label(since + i * bucket_seconds, bucket_seconds))}'
                     "</text>")
    parts.append('</g><g class="bars">')
    for i, bucket in enumerate(per_bucket):
        y: float = HEIGHT - BOTTOM
        x = LEFT + i * slot + 1
        when = _label(since + i * bucket_seconds, bucket_seconds)
        for state in STATE_ORDER:
            count = bucket.get(state, 0)
            if not count:
                continue
            h = count / peak * plot_h
            y -= h
            parts.append(f'<rect class="s-{state}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}">'
                         f"<title>{escape(when)}: {count} {state.lower()}</title></rect>")
    parts.append("</g></svg>")
    return Markup("".join(parts))
