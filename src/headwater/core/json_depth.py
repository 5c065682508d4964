"""How deep JSON may nest: `HEADWATER_JSON_MAX_DEPTH` levels on the way in, and a
bounded copy of anything deeper on the way out.

A value nested a few hundred levels deep is valid JSON, but every layer that walks it
recursively (response serialization, the UI's templates) breaks on it, and once stored
it would break every list that shows it. So:

- requests, CLI options and the engine's records check the depth against the setting
  (`too_deep`, `raw_too_deep`) and refuse or replace what is deeper, naming the limit;
- the store reads every JSON column through `bounded_loads`, which cuts whatever an older
  version stored deeper than `MAX_DEPTH` into a note: reads never fail on a stored value.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["DEFAULT_DEPTH", "MAX_DEPTH", "bounded_loads", "depth_message", "raw_too_deep", "too_deep"]

DEFAULT_DEPTH = 100
"""The default of `HEADWATER_JSON_MAX_DEPTH`."""

MAX_DEPTH = 200
"""The setting's ceiling, and the depth reads cut at: deeper values cannot be sent back
in a response (its serializer stops at about 250 levels, the response's own included)."""

# A JSON string, quotes included (the unrolled form: fast on long strings).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_QUOTED = re.compile(rb'"[^"]*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_NOT_BRACKETS_OR_QUOTES = bytes(b for b in range(256) if b not in b'[]{}"')
_BRACKETS_AS_ONE = bytes.maketrans(b"{}", b"[]")


def _brackets(body: bytes) -> bytes:
    """The brackets of `body` outside its strings, all as `[` and `]`."""
    if b'\\"' in body:  # an escaped quote (or backslash) before a quote: the full string pattern
        return _STRING.sub(b"", body).translate(_BRACKETS_AS_ONE, _NOT_BRACKETS)
    # Every quote delimits a string: keep quotes and brackets only (a much shorter text),
    # then drop the strings, most of which are now just "".
    reduced = body.translate(_BRACKETS_AS_ONE, _NOT_BRACKETS_OR_QUOTES)
    brackets = reduced.replace(b'""', b"")
    if b'"' in brackets:  # some string holds brackets
        brackets = _QUOTED.sub(b"", reduced)
    return brackets


def depth_message(limit: int) -> str:
    """The words for a value nested deeper than `limit` levels."""
    return (f"JSON nested deeper than {limit} levels; headwater accepts at most {limit} "
            "(HEADWATER_JSON_MAX_DEPTH): send a flatter value")


def too_deep(value: Any, limit: int) -> bool:
    """Whether `value` (dicts, lists and tuples) nests deeper than `limit` levels; a
    scalar is depth 0, `[1]` is 1. Walks without recursion, stopping at the first path
    that is too deep."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        depth += 1
        if depth > limit:
            return True
        stack.extend((child, depth) for child in children if isinstance(child, (dict, list, tuple)))
    return False


def raw_too_deep(body: bytes, limit: int) -> bool:
    """Whether the JSON text `body` nests deeper than `limit` levels, without parsing it.

    Counted on the brackets outside strings; each pass removes the innermost level, so
    at most `limit + 1` passes over a text that only shrinks (each in C). Text that is
    not JSON gets an answer too; the parser refuses it afterwards anyway.
    """
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # fewer brackets than levels: the common case, at the cost of a count
    brackets = _brackets(body)
    for _ in range(limit):
        if not brackets:
            return False
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            return False  # unbalanced: not JSON; the parser says so
        brackets = shorter
    return b"[]" in brackets


def _cut(value: Any, limit: int) -> Any:
    """`value` with every part below `limit` levels replaced by a note."""
    if isinstance(value, (dict, list)):
        if limit <= 0:
            return f"<not shown: nested deeper than {MAX_DEPTH} levels>"
        if isinstance(value, dict):
            return {key: _cut(child, limit - 1) for key, child in value.items()}
        return [_cut(child, limit - 1) for child in value]
    return value


def bounded_loads(text: str | bytes) -> Any:
    """`json.loads`, with anything nested deeper than `MAX_DEPTH` cut to a note (the store's
    reader of JSON columns; see the module docstring)."""
    try:
        value = json.loads(text)
    except RecursionError:
        return f"<not shown: nested deeper than {MAX_DEPTH} levels>"
    raw = text.encode() if isinstance(text, str) else text
    if raw_too_deep(raw, MAX_DEPTH):
        return _cut(value, MAX_DEPTH)
    return value
