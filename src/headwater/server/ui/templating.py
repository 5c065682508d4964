"""Rendering pages: one Jinja2 environment with autoescaping on, and the headers every page gets.

Autoescaping is on for every template, so a flow, parameter or log line containing
HTML is shown as text. The Content-Security-Policy allows scripts and styles from
this server only, with no inline script or style attribute: even a value that slipped
past escaping could not run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from headwater._version import __version__
from headwater.server.ui.format import FILTERS

__all__ = ["SECURITY_HEADERS", "STATIC_DIR", "render"]

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
}

_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters.update(FILTERS)
_env.globals["version"] = __version__


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render `template` with `context` (plus the request, the login state, the nav) as a page."""
    auth = getattr(request.app.state, "ui_auth", None)
    values = {
        "request": request,
        "path": request.url.path,
        "logout": bool(auth is not None and auth.required),
        **context,
    }
    html = _env.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)


def render_fragment(template: str, context: dict[str, Any]) -> str:
    """Render a template that is part of a page (for live updates)."""
    return _env.get_template(template).render(context)
