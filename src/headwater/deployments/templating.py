"""Filling `{{ placeholders }}` in project files and deployment steps, as Prefect does.

    {{ step_id.field }}             a field of an earlier step's output (`id: step_id`)
    {{ field }}                     a field of any earlier step's output
    {{ prefect.variables.name }}    a variable (`headwater.variables.name` works too)
    {{ prefect.blocks.type.name }}  a saved block's fields (`headwater.blocks...`)
    {{ $NAME }}                     the environment variable NAME

A string that is one placeholder becomes the value as it is (a dict stays a dict); a
placeholder inside longer text is replaced by the value's text. A placeholder with no
value is left as written, as in Prefect, except an environment variable that is not
set, which is an error naming it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from headwater.exceptions import HeadwaterError

__all__ = ["TemplateError", "apply_values", "resolve_references"]

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_MISSING = object()


class TemplateError(HeadwaterError):
    """A placeholder cannot be filled (the message names it)."""


def _substitute(value: Any, lookup: Callable[[str], Any]) -> Any:
    if isinstance(value, dict):
        return {k: _substitute(v, lookup) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, lookup) for v in value]
    if not isinstance(value, str):
        return value
    whole = _PLACEHOLDER.fullmatch(value.strip())
    if whole:
        found = lookup(whole.group(1))
        return value if found is _MISSING else found

    def text(match: re.Match[str]) -> str:
        found = lookup(match.group(1))
        if found is _MISSING:
            return match.group(0)
        return found if isinstance(found, str) else json.dumps(found)

    return _PLACEHOLDER.sub(text, value)


def apply_values(value: Any, values: Mapping[str, Any]) -> Any:
    """Fill placeholders naming keys (dotted paths into nested dicts) of `values`."""

    def lookup(name: str) -> Any:
        if name.startswith("$") or name.split(".", 1)[0] in ("prefect", "headwater"):
            return _MISSING
        current: Any = values
        for part in name.split("."):
            if isinstance(current, Mapping) and part in current:
                current = current[part]
            else:
                return _MISSING
        return current

    return _substitute(value, lookup)


def resolve_references(value: Any, *, environ: Mapping[str, str] | None = None) -> Any:
    """Fill variable, block and environment placeholders.

    Raises:
        TemplateError: an environment variable that is not set, a variable or block
            that does not exist (named, with how to create it).
    """
    env = os.environ if environ is None else environ

    def lookup(name: str) -> Any:
        if name.startswith("$"):
            if name[1:] not in env:
                raise TemplateError(f"{{{{ {name} }}}}: the environment variable {name[1:]} is not set; set it "
                                    "before running this")
            return env[name[1:]]
        head, _, rest = name.partition(".")
        if head not in ("prefect", "headwater"):
            return _MISSING
        kind, _, path = rest.partition(".")
        if kind == "variables" and path:
            from headwater.variables import Variable

            found = Variable.get(path, default=_MISSING)
            if found is _MISSING:
                raise TemplateError(f"{{{{ {name} }}}}: no variable named {path!r}; create it with "
                                    f"`headwater variable set {path} VALUE`")
            return found
        if kind == "blocks" and path.count(".") >= 1:
            from headwater.blocks.core import Block

            block_type, _, rest_path = path.partition(".")
            block_name, _, field = rest_path.partition(".")
            try:
                block = Block.load(f"{block_type}/{block_name}")
            except Exception as exc:
                raise TemplateError(f"{{{{ {name} }}}}: cannot load block {block_type}/{block_name}: {exc}") from None
            data = block.model_dump() if hasattr(block, "model_dump") else {}
            if field:
                return data.get(field, _MISSING)
            if hasattr(block, "get") and set(data) == {"value"}:  # Secret, String, ...: the value itself
                return block.get()
            return data
        return _MISSING

    return _substitute(value, lookup)
