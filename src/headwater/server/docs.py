"""`GET /docs`: the API's reference as one self-contained HTML page.

FastAPI's usual docs page loads Swagger UI from a CDN; headwater promises to work
offline, so this page is rendered on the server from the OpenAPI schema: every
operation with its summary, description, parameters and body model, and a link to
the schema itself (`/api/openapi.json`) for tools. No script, no external asset.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

__all__ = ["install_docs"]

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2733}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d8dee4}
.op{margin:.8rem 0;padding:.5rem .8rem;border:1px solid #d8dee4;border-radius:6px}
.m{display:inline-block;min-width:4.2rem;font-weight:700;font-family:monospace}
.GET{color:#1a7f37}.POST{color:#0969da}.DELETE{color:#cf222e}.PATCH,.PUT{color:#9a6700}
code{font-family:ui-monospace,monospace;font-size:.9em}small{color:#57606a}
"""


def _ref_name(schema: dict[str, Any] | None) -> str:
    if not schema:
        return ""
    ref = schema.get("$ref") or (schema.get("items") or {}).get("$ref") or ""
    name = ref.rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"list of {name or schema.get('items', {}).get('type', 'values')}"
    return name or str(schema.get("type", ""))


def render_docs(schema: dict[str, Any]) -> str:
    """The docs page for an OpenAPI schema."""
    info = schema.get("info", {})
    by_tag: dict[str, list[str]] = {}
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            params = ", ".join(
                f"<code>{html.escape(p['name'])}</code> ({p['in']})" for p in op.get("parameters", [])
            )
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            ok: dict[str, Any] = next((r for code, r in op.get("responses", {}).items() if code.startswith("2")), {})
            returns = ok.get("content", {}).get("application/json", {}).get("schema")
            lines = [
                f'<div class="op"><span class="m {method.upper()}">{method.upper()}</span> '
                f"<code>{html.escape(path)}</code> — {html.escape(op.get('summary', ''))}",
                f"<br><small>{html.escape(op.get('description', '') or '')}</small>",
            ]
            if params:
                lines.append(f"<br><small>parameters: {params}</small>")
            if body:
                lines.append(f"<br><small>body: <code>{html.escape(_ref_name(body))}</code></small>")
            if returns:
                lines.append(f"<br><small>returns: <code>{html.escape(_ref_name(returns))}</code></small>")
            lines.append("</div>")
            by_tag.setdefault((op.get("tags") or ["other"])[0], []).append("".join(lines))
    sections = "".join(f"<h2>{html.escape(tag)}</h2>{''.join(ops)}" for tag, ops in by_tag.items())
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(info.get('title', 'API'))}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(info.get('title', 'API'))} "
        f"<small>{html.escape(str(info.get('version', '')))}</small></h1>"
        "<p>JSON over HTTP under <code>/api</code>. With <code>HEADWATER_API_KEY</code> set on the server, send "
        "<code>Authorization: Bearer &lt;key&gt;</code>. Machine-readable schema: "
        "<a href='/api/openapi.json'><code>/api/openapi.json</code></a>.</p>"
        f"{sections}</body></html>"
    )


def install_docs(app: FastAPI) -> None:
    """Serve the docs page at `/docs`, rendered once on first request.

    With `HEADWATER_API_KEY` set, the page needs the UI's login session, as every page.
    """
    page: list[str] = []

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    async def docs(request: Request) -> HTMLResponse:
        # With an API key the reference is for logged-in users, like the schema it shows.
        auth = getattr(request.app.state, "ui_auth", None)
        if auth is not None:
            auth.check(request)
        if not page:
            page.append(render_docs(app.openapi()))
        return HTMLResponse(page[0])
