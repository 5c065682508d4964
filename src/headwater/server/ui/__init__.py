"""The web UI: server-rendered pages at `/`, on the same port as the API.

Pages are Jinja2 templates (autoescaped) with a little hand-written JavaScript and
CSS from `static/`; charts, the timeline and the graph are SVG drawn in Python. No
build step, no CDN: everything ships in the package and works offline.

`install_ui(app, settings)` adds the pages, the UI's small JSON endpoints
(`/ui/api/...`), its static files (`/ui/static/...`), the login when
`HEADWATER_API_KEY` is set, and an HTML 404 page for unknown page paths. The UI reads
through the store (`headwater.store.Store`) and the API's own endpoint functions; it
never imports the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from headwater.server.ui import pages_background
from headwater.server.ui import live, pages_artifacts, pages_assets, pages_blocks, pages_deployments, pages_limits, pages_runs, pages_variables
from headwater.server.ui import pages_events
from headwater.server.ui import pages_automations
from headwater.server.ui import pages_pause
from headwater.server.ui.auth import COOKIE, ForeignOrigin, NotLoggedIn, UiAuth, safe_next
from headwater.server.ui.forms import read_form
from headwater.server.ui.templating import SECURITY_HEADERS, STATIC_DIR, render

if TYPE_CHECKING:
    from headwater.core.settings import Settings

__all__ = ["install_ui"]

_STATIC_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}


def _gate(request: Request) -> None:
    """Every page and data endpoint: a session when a key is set; same-site origin for changes."""
    auth: UiAuth = request.app.state.ui_auth
    auth.check(request)
    if request.method not in ("GET", "HEAD"):
        auth.check_origin(request)


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not path.startswith(("/api", "/ui/api")) and request.method in ("GET", "HEAD")


async def _not_logged_in(request: Request, exc: NotLoggedIn) -> Response:
    if _wants_html(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        auth: UiAuth = request.app.state.ui_auth
        return RedirectResponse(auth.location(f"/login?next={target}" if target != "/" else "/login"),
                                status_code=303, headers=SECURITY_HEADERS)
    return JSONResponse({"detail": "log in first: open /login and give the server's API key"}, status_code=401,
                        headers=SECURITY_HEADERS)


async def _foreign_origin(request: Request, exc: ForeignOrigin) -> Response:
    return JSONResponse({"detail": "refused: this request came from a page of another site"}, status_code=403,
                        headers=SECURITY_HEADERS)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == 404 and _wants_html(request):
        auth: UiAuth = request.app.state.ui_auth
        if not auth.has_session(request):
            return await _not_logged_in(request, NotLoggedIn())
        return pages_runs.not_found_page(request, f"There is no page at {request.url.path}.")
    return await http_exception_handler(request, exc)


def install_ui(app: FastAPI, settings: Settings) -> None:
    """Mount the UI on `app` (see the module docstring)."""
    api_key = settings.api_key.get_secret_value() if settings.api_key is not None else None
    app.state.ui_auth = UiAuth(api_key, lambda: app.state.store.ui_sessions,
                               lifetime_seconds=settings.ui_session_seconds, ui_url=settings.ui_url)
    gated = [Depends(_gate)]

    @app.get("/ui/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        path = STATIC_DIR / name
        kind = _STATIC_TYPES.get(path.suffix)
        if kind is None or "/" in name or not path.is_file():
            return JSONResponse({"detail": "no such file"}, status_code=404)
        return FileResponse(path, media_type=kind, headers={"cache-control": "max-age=300"})

    @app.get("/login", include_in_schema=False, response_class=HTMLResponse)
    def login_page(request: Request, next: str = "/") -> Response:
        auth: UiAuth = request.app.state.ui_auth
        if not auth.required or auth.has_session(request):
            return RedirectResponse(auth.location(safe_next(next)), status_code=303, headers=SECURITY_HEADERS)
        return render(request, "login.html", {"next": safe_next(next), "error": None})

    @app.post("/login", include_in_schema=False, response_class=HTMLResponse)
    async def login(request: Request) -> Response:
        auth: UiAuth = request.app.state.ui_auth
        UiAuth.check_origin(request)
        form = await read_form(request)
        target = safe_next(str(form.get("next", "/")))
        client = request.client.host if request.client is not None else "unknown"
        wait = auth.throttle.retry_after(client)
        if wait:
            page = render(request, "login.html", {"next": target, "error": f"Too many failed logins from this "
                                                  f"address; try again in {wait} s."}, status_code=429)
            page.headers["retry-after"] = str(wait)
            return page
        if not auth.key_matches(str(form.get("key", ""))):
            auth.throttle.failed(client)
            return render(request, "login.html", {"next": target, "error": "That is not the server's API key."},
                          status_code=401)
        response = RedirectResponse(auth.location(target), status_code=303, headers=SECURITY_HEADERS)
        response.set_cookie(**auth.cookie_settings(request, await run_in_threadpool(auth.start_session)))
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request) -> Response:
        auth: UiAuth = request.app.state.ui_auth
        UiAuth.check_origin(request)
        auth.end_session(request)  # the cookie is worthless from now on, wherever a copy of it is
        response = RedirectResponse(auth.location("/login"), status_code=303, headers=SECURITY_HEADERS)
        response.delete_cookie(COOKIE, path="/")
        return response

    for module in (pages_runs, pages_deployments, pages_limits, pages_variables, pages_artifacts, pages_assets, pages_blocks, pages_automations,
                   live, pages_pause, pages_background):
        app.include_router(module.router, dependencies=gated)
    app.include_router(pages_events.router, dependencies=gated)
    # Through the decorator: add_exception_handler's type takes handlers of any Exception.
    app.exception_handler(NotLoggedIn)(_not_logged_in)
    app.exception_handler(ForeignOrigin)(_foreign_origin)
    app.exception_handler(StarletteHTTPException)(_http_error)
