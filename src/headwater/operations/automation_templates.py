"""Templates in automation actions: a webhook's payload, a notification's subject and
body, and a run's parameters, rendered with the triggering event (Jinja, sandboxed).

Parameters follow Prefect's rules: a string that is one `{{ expression }}` keeps the
expression's type (a number stays a number); other strings with `{{` render to
text; `{"__prefect_kind": "jinja", "template": ...}` renders to text and
`{"__prefect_kind": "json", "value": ...}` parses the rendered text as JSON.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment

__all__ = ["check_template", "render_parameters", "render_text"]

_ENVIRONMENT: SandboxedEnvironment | None = None


def _environment() -> SandboxedEnvironment:
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        from jinja2 import StrictUndefined
        from jinja2.sandbox import SandboxedEnvironment

        env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
        # As Prefect (Jinja's default policy): `tojson` writes object keys sorted.
        env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": str}
        _ENVIRONMENT = env
    return _ENVIRONMENT


def check_template(value: Any, where: str) -> None:
    """Raise `ParameterValidationError` naming `where` if a template in `value` does not parse."""
    from jinja2 import TemplateSyntaxError

    from headwater.exceptions import ParameterValidationError

    if isinstance(value, dict):
        for key, inner in value.items():
            check_template(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            check_template(inner, f"{where}[{index}]")
    elif isinstance(value, str) and ("{{" in value or "{%" in value):
        try:
            _environment().parse(value)
        except TemplateSyntaxError as exc:
            raise ParameterValidationError(f"{where}: the template does not parse: {exc.message}") from None


def render_text(template: str, context: dict[str, Any]) -> str:
    """`template` rendered with `context` (text without `{{` is returned as is)."""
    if "{{" not in template and "{%" not in template:
        return template
    return _environment().from_string(template).render(**context)


def _single_expression(text: str) -> str | None:
    stripped = text.strip()
    if stripped.startswith("{{") and stripped.endswith("}}") and stripped.count("{{") == 1:
        return stripped[2:-2].strip()
    return None


def render_parameters(value: Any, context: dict[str, Any]) -> Any:
    """Parameters with their templates rendered (see the module docstring)."""
    if isinstance(value, dict):
        kind = value.get("__prefect_kind")
        if kind == "jinja":
            return render_text(str(value.get("template", "")), context)
        if kind == "json":
            inner = render_parameters(value.get("value"), context)
            return json.loads(inner) if isinstance(inner, str) else inner
        return {key: render_parameters(inner, context) for key, inner in value.items()}
    if isinstance(value, list):
        return [render_parameters(inner, context) for inner in value]
    if isinstance(value, str) and "{{" in value:
        expression = _single_expression(value)
        if expression is not None:
            return json.loads(render_text("{{ (" + expression + ") | tojson }}", context))
        return render_text(value, context)
    return value
