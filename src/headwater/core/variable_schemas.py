"""Variables: named JSON values shared by flows, deployments and people.

The request and reply bodies of `/api/variables/` (shared by the store, the
operations, the REST API, the client and the CLI), the rules a name and a value
follow, and the `{{ prefect.variables.name }}` templates deployment parameters may
hold. Pure: no I/O; the size limit is passed in (it is a setting).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from headwater.core.api_schemas import FilterText

__all__ = [
    "MAX_VARIABLE_NAME_LENGTH",
    "MISSING_VARIABLE",
    "VariableCount",
    "VariableCreate",
    "VariableFilterRequest",
    "VariableFilterSpec",
    "VariableInfo",
    "VariableSort",
    "VariableUpdate",
    "check_variable_name",
    "check_variable_value",
    "resolve_variable_templates",
    "template_variable_names",
]

MAX_VARIABLE_NAME_LENGTH = 255
"""The longest variable name (Prefect's limit)."""

_NAME = re.compile(r"^[a-z0-9_-]+$")
_NAME_RULE = "lowercase letters, numbers, dashes and underscores, 1 to 255 characters"


def check_variable_name(name: str) -> str:
    """Return `name` if it is a usable variable name, else raise `ValueError` naming the rule.

    A name is what Prefect accepts (lowercase letters, numbers, `-` and `_`, at most
    255 characters), except that an empty name is refused: it could not be read back.
    """
    if not isinstance(name, str) or not _NAME.match(name) or len(name) > MAX_VARIABLE_NAME_LENGTH:
        shown = name if not isinstance(name, str) or len(name) <= 60 else name[:57] + "..."
        raise ValueError(f"variable name {shown!r} is not valid: use {_NAME_RULE}")
    return name


def check_variable_value(value: Any, max_bytes: int, name: str = "") -> int:
    """Check a value can be stored: JSON, and at most `max_bytes` as compact UTF-8 JSON.

    Returns:
        The value's size in bytes.

    Raises:
        ValueError: the value is not JSON (a set, an object, NaN, ...) or too large;
            the message names the variable, the size and the setting to change.
    """
    label = f"variable {name!r}" if name else "a variable"
    try:
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode())
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"the value of {label} must be JSON (str, int, float, bool, None, list, dict): "
                         f"{str(exc)[:200]}") from None
    if size > max_bytes:
        raise ValueError(f"the value of {label} is {size:,} bytes as JSON, more than the limit of {max_bytes:,}: "
                         "store a smaller value, or raise HEADWATER_VARIABLE_MAX_BYTES")
    return size


VariableName = Annotated[str, AfterValidator(check_variable_name)]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=255)]
Tags = Annotated[list[Tag], Field(max_length=100)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VariableCreate(_Request):
    """Body of `POST /variables/`. The value is any JSON; its size is checked by the operation."""

    name: VariableName
    value: Any = None
    tags: Tags = []


class VariableUpdate(_Request):
    """Body of `PATCH /variables/name/{name}`: the fields given change, the others stay.

    `name` renames the variable.
    """

    name: Optional[VariableName] = None
    value: Any = None
    tags: Optional[Tags] = None


class VariableInfo(BaseModel):
    """A variable as read back (Prefect's `Variable` object)."""

    id: str
    name: str
    value: Any = None
    tags: list[str] = []
    created: datetime
    updated: datetime


VariableSort = Literal["CREATED_DESC", "UPDATED_DESC", "NAME_DESC", "NAME_ASC"]


class _Criteria(_Request):
    any_: Optional[list[FilterText]] = None


class _NameCriteria(_Criteria):
    like_: Optional[FilterText] = None


class _TagCriteria(_Request):
    all_: Optional[list[FilterText]] = None
    is_null_: Optional[bool] = None


class VariableFilterSpec(_Request):
    """Which variables: by id, by name (`any_` exact, `like_` case-insensitive
    substring) and by tags (`all_` of them, or `is_null_` none)."""

    operator: Literal["and_"] = "and_"
    id: Optional[_Criteria] = None
    name: Optional[_NameCriteria] = None
    tags: Optional[_TagCriteria] = None


class VariableFilterRequest(_Request):
    """Body of `POST /variables/filter` (Prefect's shape)."""

    variables: Optional[VariableFilterSpec] = None
    sort: VariableSort = "NAME_ASC"
    limit: Optional[int] = Field(default=None, ge=0, le=10_000)
    offset: int = Field(default=0, ge=0)


class VariableCount(_Request):
    """Body of `POST /variables/count`."""

    variables: Optional[VariableFilterSpec] = None


# -- templates in deployment parameters ------------------------------------------------

_PLACEHOLDER = re.compile(r"{{\s*([\w.\-\[\]$]+)\s*}}")
_PREFIXES = ("prefect.variables.", "headwater.variables.")
MISSING_VARIABLE: Any = object()
"""What a `resolve_variable_templates` lookup returns for a variable that does not exist."""


def _variable_of(placeholder: str) -> str | None:
    for prefix in _PREFIXES:
        if placeholder.startswith(prefix):
            return placeholder[len(prefix):]
    return None


def template_variable_names(template: Any) -> set[str]:
    """The variable names `{{ prefect.variables.NAME }}` (or `headwater.variables.NAME`)
    placeholders in the strings of `template` (nested dicts and lists) refer to."""
    if isinstance(template, str):
        if "{{" not in template:
            return set()
        return {n for n in (_variable_of(m) for m in _PLACEHOLDER.findall(template)) if n}
    if isinstance(template, dict):
        return set().union(*(template_variable_names(v) for v in template.values()))
    if isinstance(template, list):
        return set().union(*(template_variable_names(v) for v in template))
    return set()


def resolve_variable_templates(template: Any, lookup: Callable[[str], Any]) -> Any:
    """`template` with each variable placeholder replaced, as Prefect's templates do.

    A string that is exactly one placeholder becomes the variable's value (any JSON);
    a placeholder inside a longer string is replaced by the value as text. A variable
    `lookup` does not know (it returns `MISSING_VARIABLE`) becomes the empty string.
    Other placeholders (`{{ other }}`) are left as they are.

    Args:
        template: the parameters (any JSON).
        lookup: a variable's value by name, or `MISSING_VARIABLE`.
    """
    if isinstance(template, str):
        if "{{" not in template:
            return template
        whole = _PLACEHOLDER.fullmatch(template)
        if whole is not None:
            name = _variable_of(whole.group(1))
            if name:
                value = lookup(name)
                return "" if value is MISSING_VARIABLE else value

        def replace(match: re.Match[str]) -> str:
            name = _variable_of(match.group(1))
            if not name:
                return match.group(0)
            value = lookup(name)
            return "" if value is MISSING_VARIABLE else str(value)

        return _PLACEHOLDER.sub(replace, template)
    if isinstance(template, dict):
        return {key: resolve_variable_templates(value, lookup) for key, value in template.items()}
    if isinstance(template, list):
        return [resolve_variable_templates(item, lookup) for item in template]
    return template
