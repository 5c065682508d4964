"""Console highlighters, as in `prefect.logging.highlighters` (rich `RegexHighlighter`s).

Each marks parts of a log line with a style name that a rich `Theme` can colour:
`level.info_level`, `url.web_url`, `name.flow_run_name`, `state.completed_state`, ...
`PrefectConsoleHighlighter` applies all of them under `log.`.
"""

from __future__ import annotations

from rich.highlighter import RegexHighlighter

__all__ = ["LevelHighlighter", "NameHighlighter", "PrefectConsoleHighlighter", "StateHighlighter", "UrlHighlighter"]

_URL_CHARS = r"[0-9a-zA-Z$\-_+!`(),.?/;:&=%#]*"
_STATE_TYPES = ("SCHEDULED", "PENDING", "RUNNING", "COMPLETED", "FAILED", "CANCELLED", "CRASHED", "PAUSED",
                "CANCELLING")


class LevelHighlighter(RegexHighlighter):
    """Marks level names: `level.debug_level` ... `level.critical_level`."""

    base_style = "level."
    highlights = [rf"(?P<{level.lower()}_level>{level})" for level in ("DEBUG", "INFO", "WARNING", "ERROR",
                                                                        "CRITICAL")]


class UrlHighlighter(RegexHighlighter):
    """Marks web addresses (`url.web_url`) and file URLs (`url.local_url`)."""

    base_style = "url."
    highlights = [
        rf"(?P<web_url>(https|http|ws|wss)://{_URL_CHARS})",
        rf"(?P<local_url>(file)://{_URL_CHARS})",
    ]


class NameHighlighter(RegexHighlighter):
    """Marks the quoted name after "flow run", "flow", "task run" or "task" (any case)."""

    base_style = "name."
    highlights = [
        rf"(?i)(?P<{kind.replace(' ', '_')}_name>(?<={kind}) '(.*?)')"
        for kind in ("flow run", "flow", "task run", "task")
    ]


class StateHighlighter(RegexHighlighter):
    """Marks state names (`state.completed_state`, ...), and `Cached` before `(type=COMPLETED)`."""

    base_style = "state."
    highlights = [rf"(?P<{name.lower()}_state>{name.title()})" for name in _STATE_TYPES] + [
        r"(?P<cached_state>Cached)(?=\(type=COMPLETED\))"
    ]


class PrefectConsoleHighlighter(RegexHighlighter):
    """All of the above, under `log.`."""

    base_style = "log."
    highlights = (LevelHighlighter.highlights + UrlHighlighter.highlights + NameHighlighter.highlights
                  + StateHighlighter.highlights)
