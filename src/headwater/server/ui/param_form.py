"""A flow's parameter JSON schema as form fields, and form values back as parameters.

The fields carry what the browser can check by itself (required, number types,
bounds, choices); the page's script checks the JSON fields; the server parses each
field by its schema type here and then checks the whole set against the schema (the
store's `create_deployment_run`), so a bad value is refused with its name either way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["Field", "fields_of", "parse_fields"]

PREFIX = "p:"


@dataclass
class Field:
    """One input of the Run form."""

    name: str
    kind: str  # "integer", "number", "boolean", "string", "choice", "json"
    required: bool
    value: str
    title: str
    description: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    type_text: str = ""

    @property
    def input_name(self) -> str:
        return PREFIX + self.name


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return {**root.get("$defs", {}).get(ref.rsplit("/", 1)[-1], {}), **{k: v for k, v in schema.items()
                                                                              if k != "$ref"}}
    return schema


def _kind(schema: dict[str, Any]) -> tuple[str, str]:
    if "enum" in schema and all(isinstance(v, str) for v in schema["enum"]):
        return "choice", "one of " + ", ".join(schema["enum"])
    kind = schema.get("type")
    if kind in ("integer", "number", "boolean", "string"):
        return str(kind), str(kind)
    options = [s.get("type") for s in schema.get("anyOf", []) if isinstance(s, dict)]
    simple = [o for o in options if o != "null"]
    if len(simple) == 1 and simple[0] in ("integer", "number", "string", "boolean") and "null" in options:
        return str(simple[0]), f"{simple[0]} or empty"
    described = " or ".join(str(o) for o in options if o) if options else str(kind or "any value")
    return "json", (described or "any value") + " (JSON)"


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "json":
        return json.dumps(value)
    if kind == "boolean":
        return "true" if value else ""
    return str(value)


def fields_of(schema: dict[str, Any] | None, defaults: dict[str, Any]) -> list[Field]:
    """The form's fields: one per parameter of `schema`, prefilled with `defaults` (then schema defaults)."""
    schema = schema or {}
    required = set(schema.get("required", []))
    fields = []
    for name, raw in (schema.get("properties") or {}).items():
        prop = _resolve(raw if isinstance(raw, dict) else {}, schema)
        kind, type_text = _kind(prop)
        value = defaults.get(name, prop.get("default"))
        fields.append(Field(
            name=name, kind=kind, required=name in required and name not in defaults,
            value=_shown(value, kind), title=str(prop.get("title") or name), description=str(prop.get("description",
                                                                                                       "")),
            choices=tuple(prop.get("enum", ())) if kind == "choice" else (), minimum=prop.get("minimum"),
            maximum=prop.get("maximum"), type_text=type_text,
        ))
    return fields


def parse_fields(fields: list[Field], form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Parameters from the posted form, and a problem per field name that could not be read.

    An empty optional field is left out (the deployment's default applies).
    """
    parameters: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for field in fields:
        raw = form.get(field.input_name, "")
        field.value = raw
        if field.kind == "boolean":
            parameters[field.name] = raw in ("on", "true")
            continue
        if raw.strip() == "":
            if field.required:
                problems[field.name] = "required"
            continue
        try:
            if field.kind == "integer":
                parameters[field.name] = int(raw)
            elif field.kind == "number":
                parameters[field.name] = float(raw)
            elif field.kind == "json":
                parameters[field.name] = json.loads(raw)
            else:
                parameters[field.name] = raw
        except ValueError:
            problems[field.name] = f"not a valid {field.type_text}"
    return parameters, problems
