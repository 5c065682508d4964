"""The JSON schema of a function's parameters, as Prefect's `parameter_schema` makes it.

Each parameter becomes a property with its `title`, `position`, `default` (as JSON)
and, from a Google-style docstring (`Args:`), its `description`; models it refers to
go under `definitions`. Re-exported by `headwater.utilities.callables`.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter, create_model

__all__ = [
    "ParameterSchema",
    "generate_parameter_schema",
    "parameter_docstrings",
    "parameter_schema",
    "parameter_schema_from_entrypoint",
]

_SECTION = re.compile(r"^(Args|Arguments|Parameters|Params|Keyword Args|Keyword Arguments|Other Parameters):\s*$")
_ITEM = re.compile(r"^(\*{0,2}\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")


class ParameterSchema(BaseModel):
    """The schema of a function's parameters (a JSON schema object)."""

    title: str = "Parameters"
    type: str = "object"
    properties: dict[str, Any] = Field(default_factory=dict)
    required: list[str] = Field(default_factory=list)
    definitions: dict[str, Any] = Field(default_factory=dict)

    def model_dump_for_openapi(self) -> dict[str, Any]:
        """The schema as a JSON schema document (`definitions` kept only when used)."""
        data = self.model_dump(mode="json")
        if not data["definitions"]:
            data.pop("definitions")
        return data


def parameter_docstrings(docstring: str | None) -> dict[str, str]:
    """Each parameter's description from the `Args:` section of a Google-style docstring."""
    if not docstring:
        return {}
    lines = inspect.cleandoc(docstring).splitlines()
    found: dict[str, list[str]] = {}
    current: str | None = None
    in_section = False
    section_indent = 0
    for line in lines:
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if _SECTION.match(stripped) and indent == 0:
            in_section, current = True, None
            continue
        if not in_section:
            continue
        if stripped and indent == 0:  # the next section, or the text after
            in_section, current = False, None
            continue
        match = _ITEM.match(stripped)
        if match and (current is None or indent <= section_indent):
            section_indent = indent
            current = match.group(1).lstrip("*")
            found[current] = [match.group(2)] if match.group(2) else []
        elif current is not None and stripped:
            found[current].append(stripped)
    return {name: "\n".join(text) for name, text in found.items()}


def _json_default(value: Any) -> Any:
    try:
        return TypeAdapter(Any).dump_python(value, mode="json")
    except Exception:
        return repr(value)


def _field(parameter: inspect.Parameter) -> tuple[Any, Any]:
    """The (type, default) of the model field standing for a parameter."""
    if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
        return list[Any], []
    if parameter.kind is inspect.Parameter.VAR_KEYWORD:
        return dict[str, Any], {}
    annotation = Any if parameter.annotation is parameter.empty else parameter.annotation
    return annotation, (... if parameter.default is parameter.empty else parameter.default)


def _model_properties(signature: inspect.Signature) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every parameter's schema through one model, so models they use become `$ref`s."""
    fields = {f"p{i}": _field(p) for i, p in enumerate(signature.parameters.values())}
    model = create_model("Parameters", **fields)  # type: ignore[call-overload]  # fields named at runtime; pydantic's overloads type fixed keywords
    schema = model.model_json_schema(ref_template="#/definitions/{model}")
    return schema.get("properties", {}), schema.get("$defs", {})


def _single_property(parameter: inspect.Parameter, definitions: dict[str, Any]) -> dict[str, Any]:
    annotation, _ = _field(parameter)
    try:
        schema = TypeAdapter(annotation).json_schema(ref_template="#/definitions/{model}")
    except Exception:  # a type JSON cannot describe: the parameter accepts anything
        return {}
    definitions.update(schema.pop("$defs", {}))
    return schema


def generate_parameter_schema(signature: inspect.Signature, docstrings: dict[str, str]) -> ParameterSchema:
    """The schema of the parameters of `signature`, with `docstrings` as descriptions."""
    parameters = list(signature.parameters.values())
    try:
        by_position, definitions = _model_properties(signature)
    except Exception:  # a type or default one model cannot take: each parameter on its own
        definitions = {}
        by_position = {f"p{i}": _single_property(p, definitions) for i, p in enumerate(parameters)}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for position, parameter in enumerate(parameters):
        schema = dict(by_position.get(f"p{position}", {}))
        schema.pop("default", None)
        variadic = parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        if variadic:
            schema["default"] = [] if parameter.kind is inspect.Parameter.VAR_POSITIONAL else {}
        elif parameter.default is not parameter.empty:
            schema["default"] = _json_default(parameter.default)
        else:
            required.append(parameter.name)
        schema["title"] = parameter.name
        schema["position"] = position
        if docstrings.get(parameter.name):
            schema["description"] = docstrings[parameter.name]
        properties[parameter.name] = dict(sorted(schema.items()))
    return ParameterSchema(properties=properties, required=required, definitions=definitions)


def parameter_schema(fn: Callable[..., Any]) -> ParameterSchema:
    """The schema of `fn`'s parameters (a flow or task: its function's)."""
    function = getattr(fn, "fn", fn)
    return generate_parameter_schema(inspect.signature(function), parameter_docstrings(inspect.getdoc(function)))


def parameter_schema_from_entrypoint(entrypoint: str) -> ParameterSchema:
    """The schema of the function an entrypoint names: `path/to/file.py:name` or `module.path:name`.

    The file is read with `safe_load_namespace`, so only its imports and definitions
    run, not the rest of the script.

    Raises:
        ValueError: the entrypoint has no `:name`, or names nothing the file defines.
    """
    from pathlib import Path

    from headwater.utilities.callables import safe_load_namespace

    path, sep, name = entrypoint.rpartition(":")
    if not sep or not path or not name:
        raise ValueError(f"entrypoint {entrypoint!r} must be 'path/to/file.py:function' or 'module:function'")
    if path.endswith(".py"):
        namespace = safe_load_namespace(Path(path).read_text(), filepath=path)
    else:
        import importlib

        namespace = vars(importlib.import_module(path))
    target: Any = namespace
    for part in name.split("."):
        target = target.get(part) if isinstance(target, dict) else getattr(target, part, None)
        if target is None:
            raise ValueError(f"entrypoint {entrypoint!r}: {name!r} is not defined in {path}")
    return parameter_schema(target)
