"""Text search queries over events, in Prefect's syntax (`EventTextFilter.query`).

A query is terms separated by spaces:

- a plain term: the text must contain it, or one of the other plain terms (OR);
- `-term` or `!term`: the text must not contain it;
- `+term`: the text must contain it (AND);
- `"a phrase"`: one term with its spaces (`\\"` is a quote inside it), with or
  without a prefix; an unclosed quote runs to the end.

A prefix followed by a space is dropped. Matching ignores case and finds the term
anywhere in the text. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["TextQuery", "parse_text_query"]


@dataclass
class TextQuery:
    """A parsed text search query: what the text may, must and must not contain."""

    include: list[str] = field(default_factory=list)
    """Plain terms: at least one must be found (when there are any)."""
    exclude: list[str] = field(default_factory=list)
    """`-` or `!` terms: none may be found."""
    required: list[str] = field(default_factory=list)
    """`+` terms: every one must be found."""

    def matches(self, text: str) -> bool:
        """Whether `text` satisfies the query (ignoring case)."""
        folded = text.lower()
        if self.include and not any(term.lower() in folded for term in self.include):
            return False
        if any(term.lower() in folded for term in self.exclude):
            return False
        return all(term.lower() in folded for term in self.required)


def _phrase(query: str, start: int) -> tuple[str, int]:
    """The quoted phrase beginning after the quote at `start - 1`, unescaped, and the
    index after its closing quote (or the end of the query)."""
    chars: list[str] = []
    i = start
    while i < len(query):
        char = query[i]
        if char == "\\" and i + 1 < len(query):
            following = query[i + 1]
            if following in '"\\':
                chars.append(following)
                i += 2
                continue
            chars.append(char)
            i += 1
            continue
        if char == '"':
            return "".join(chars), i + 1
        chars.append(char)
        i += 1
    return "".join(chars), i


def parse_text_query(query: str) -> TextQuery:
    """Split a query into its include, exclude and required terms (see the module docstring)."""
    parsed = TextQuery()
    i = 0
    while i < len(query):
        if query[i].isspace():
            i += 1
            continue
        prefix = ""
        if query[i] in "-!+":
            if i + 1 >= len(query) or query[i + 1].isspace():
                i += 1  # a prefix on its own means nothing
                continue
            prefix = query[i]
            i += 1
        if query[i] == '"':
            term, i = _phrase(query, i + 1)
            if not term.strip():
                continue
        else:
            start = i
            while i < len(query) and not query[i].isspace() and query[i] != '"':
                i += 1
            term = query[start:i]
            if not term:
                continue
        bucket = parsed.exclude if prefix in ("-", "!") else parsed.required if prefix == "+" else parsed.include
        bucket.append(term)
    return parsed
