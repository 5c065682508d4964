"""`result_storage_key` templates, rendered safely.

A template names where a task's result goes inside the result storage, such as
`"reports/{parameters[day]}.json"` or `"{flow_run.name}-{task_run.name}.pkl"`. It may
read the call's `parameters`, `task_run` (`id`, `name`, `task_name`) and `flow_run`
(`id`, `name`, `flow_name`). A rendered key must stay inside the storage: absolute
paths, `..`, empty parts, backslashes and URLs are refused. Attribute names that
start with `_` are refused too, so a template cannot reach into Python internals.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

from headwater.results.errors import UnsafeStorageKey

__all__ = ["check_storage_key", "check_template", "render_storage_key"]

_EXAMPLE = "use a relative key inside the result storage, such as 'reports/{parameters[day]}.json'"


class _SafeFormatter(string.Formatter):
    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        for part in field_name.replace("[", ".").split("."):
            if part.startswith("_"):
                raise UnsafeStorageKey(
                    f"result_storage_key field {{{field_name}}} reads a private attribute; "
                    "use {parameters[name]}, {task_run.name} or {flow_run.name}"
                )
        return super().get_field(field_name, args, kwargs)


_formatter = _SafeFormatter()


def render_storage_key(template: str, context: Mapping[str, Any]) -> str:
    """Fill in `template` from `context` and check that the key is safe.

    Raises:
        UnsafeStorageKey: the template refers to something missing, or renders to a
            key that would leave the storage.
    """
    try:
        key = _formatter.vformat(template, (), context)
    except UnsafeStorageKey:
        raise
    except (KeyError, IndexError, AttributeError, ValueError) as exc:
        raise UnsafeStorageKey(
            f"result_storage_key {template!r} cannot be filled in: {type(exc).__name__}: {exc}; "
            f"it may use {{parameters[...]}} (parameters: {', '.join(context.get('parameters', {})) or 'none'}), "
            "{task_run.id|name|task_name} and {flow_run.id|name|flow_name}"
        ) from None
    check_storage_key(key, template)
    return key


def check_template(template: str) -> None:
    """Refuse a template whose fixed parts already leave the storage (at decoration time).

    Raises:
        UnsafeStorageKey: e.g. `"../../etc/{parameters[x]}"`.
    """
    if not isinstance(template, str) or not template:
        raise UnsafeStorageKey(f"invalid result_storage_key={template!r}: expected a non-empty string; {_EXAMPLE}")
    try:
        parts = list(_formatter.parse(template))
    except ValueError as exc:
        raise UnsafeStorageKey(f"result_storage_key {template!r} is not a valid template: {exc}") from None
    # Every field becomes a harmless placeholder: what is left is fixed text.
    skeleton = "".join(literal + ("x" if field is not None else "") for literal, field, _, _ in parts)
    check_storage_key(skeleton, template)


def check_storage_key(key: str, template: str | None = None) -> None:
    """Raise `UnsafeStorageKey` unless `key` is a plain relative path inside the storage."""
    shown = f"result_storage_key {template!r} renders to {key!r}" if template and template != key \
        else f"result_storage_key {key!r}"
    problem = None
    if not key:
        problem = "it is empty"
    elif "\x00" in key:
        problem = "it contains a NUL character"
    elif "\\" in key:
        problem = "it contains a backslash; separate folders with '/'"
    elif "://" in key:
        problem = "it is a URL; set the location with result_storage=... and keep the key relative"
    elif key.startswith("/") or (len(key) > 1 and key[1] == ":"):
        problem = "it is an absolute path"
    else:
        parts = key.split("/")
        if ".." in parts:
            problem = "'..' would leave the result storage"
        elif any(part in ("", ".") for part in parts):
            problem = "it has an empty or '.' path segment"
        elif parts[0].startswith("~"):
            problem = "'~' would point outside the result storage"
    if problem is not None:
        raise UnsafeStorageKey(f"{shown}, which is refused: {problem}; {_EXAMPLE}")
