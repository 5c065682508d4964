"""Artifacts as HTML that cannot run anything: markdown, tables, links, images, progress.

Markdown (an artifact's data and every description) is rendered on the server by
markdown-it-py with raw HTML turned off (HTML in the text is shown as text), then
passed through nh3's allow-list sanitiser: only formatting tags survive, links keep
`href` with an http(s) or mailto scheme (a `javascript:` link loses its target), no
attribute that runs script (`onerror`, `style`, ...) survives, and links open with
`rel="noopener noreferrer nofollow"`. Tables are data shown as cells escaped by the
templates; images are `<img>` only for http(s) and `data:image/` URLs; progress is a
`<progress>` bar. The pages' Content-Security-Policy forbids inline script as well.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from headwater.core.artifact_schemas import ArtifactInfo

__all__ = ["ArtifactView", "render_markdown", "table_of", "view_of"]

_TAGS = {
    "a", "p", "br", "hr", "em", "strong", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "img",
}
_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"},
               "ol": {"start"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_MAX_TABLE_ROWS = 1000


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(["table", "strikethrough"])


def render_markdown(text: str | None) -> Markup:
    """`text` as sanitised HTML (see the module docstring); empty for None."""
    import nh3

    if not text:
        return Markup("")
    html = _parser().render(text)
    return Markup(nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_URL_SCHEMES,
                            link_rel="noopener noreferrer nofollow", strip_comments=True))


@dataclass
class Table:
    """A table artifact's cells as plain values (the templates escape them)."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    more: int = 0


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def table_of(data: Any) -> Table | None:
    """A table artifact's data (JSON text of rows, columns or lists) as a `Table`, or
    None if it is none of these shapes."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError:
            return None
    if isinstance(data, dict) and all(isinstance(v, list) for v in data.values()):
        columns = [str(k) for k in data]
        height = max((len(v) for v in data.values()), default=0)
        rows = [[_cell(col[i]) if i < len(col) else "" for col in data.values()] for i in range(height)]
    elif isinstance(data, list) and all(isinstance(r, dict) for r in data):
        columns = list(dict.fromkeys(str(k) for r in data for k in r))
        rows = [[_cell(r.get(c)) for c in columns] for r in data]
    elif isinstance(data, list) and all(isinstance(r, list) for r in data):
        width = max((len(r) for r in data), default=0)
        columns = [str(i) for i in range(width)]
        rows = [[_cell(r[i]) if i < len(r) else "" for i in range(width)] for r in data]
    else:
        return None
    return Table(columns, rows[:_MAX_TABLE_ROWS], max(0, len(rows) - _MAX_TABLE_ROWS))


def _image_url(data: Any) -> str | None:
    if not isinstance(data, str):
        return None
    url = data.strip()
    lowered = url.lower()
    if lowered.startswith(("https://", "http://")) or lowered.startswith("data:image/"):
        return url
    return None


@dataclass
class ArtifactView:
    """What the templates show of one artifact."""

    artifact: ArtifactInfo
    kind: str
    description: Markup
    html: Markup = Markup("")
    table: Table | None = None
    image_url: str | None = None
    progress: float | None = None
    text: str = ""


def view_of(artifact: ArtifactInfo) -> ArtifactView:
    """How to show `artifact`, by its type; anything unknown or malformed is shown as text."""
    view = ArtifactView(artifact, "text", render_markdown(artifact.description))
    data = artifact.data
    if artifact.type == "markdown" and isinstance(data, str):
        view.kind, view.html = "markdown", render_markdown(data)
    elif artifact.type == "table" and (table := table_of(data)) is not None:
        view.kind, view.table = "table", table
    elif artifact.type == "image" and (url := _image_url(data)) is not None:
        view.kind, view.image_url = "image", url
    elif artifact.type == "progress" and isinstance(data, (int, float)) and not isinstance(data, bool):
        view.kind, view.progress = "progress", max(0.0, min(float(data), 100.0))
    else:
        view.text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=2)
    return view
