"""The Artifacts pages: every key with its latest version, one key's history of
versions, one artifact; and the artifacts section of the flow run and task run pages.

Everything an artifact holds is shown through `artifact_render.py` (sanitised
markdown, escaped table cells, http(s)/data images, progress bars). These pages allow
images from http(s) URLs (an image artifact's purpose); every other rule of the
Content-Security-Policy stays, so no script from an artifact can run.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from headwater.core.artifact_schemas import ArtifactFilterRequest
from headwater.exceptions import ObjectNotFound
from headwater.server.api._deps import operations_of
from headwater.server.ui.artifact_render import ArtifactView, view_of
from headwater.server.ui.templating import SECURITY_HEADERS, render

__all__ = ["artifacts_for_run", "router"]

router = APIRouter(include_in_schema=False)

_PAGE = 200
_IMAGES_CSP = SECURITY_HEADERS["content-security-policy"].replace("img-src 'self' data:",
                                                                  "img-src 'self' data: https: http:")


def _render(request: Request, template: str, context: dict[str, object], status_code: int = 200) -> HTMLResponse:
    response = render(request, template, context, status_code=status_code)
    response.headers["content-security-policy"] = _IMAGES_CSP
    return response


def _request(**fields: object) -> ArtifactFilterRequest:
    return ArtifactFilterRequest.model_validate(fields)


def artifacts_for_run(request: Request, *, flow_run_id: str | None = None,
                      task_run_id: str | None = None) -> list[ArtifactView]:
    """The artifacts of a flow run (all of them, its task runs' included) or of a task
    run, oldest first, ready for the `_artifacts.html` section."""
    if task_run_id is not None:
        body = _request(artifacts={"task_run_id": {"any_": [task_run_id]}}, limit=_PAGE)
    else:
        body = _request(artifacts={"flow_run_id": {"any_": [flow_run_id]}}, limit=_PAGE)
    found = operations_of(request).filter_artifacts(body)
    return [view_of(a) for a in sorted(found, key=lambda a: (a.created, a.id))]


@router.get("/artifacts", response_class=HTMLResponse)
def artifacts_page(request: Request) -> HTMLResponse:
    """Every artifact key with its latest version."""
    ops = operations_of(request)
    latest = ops.filter_latest_artifacts(_request(sort="KEY_ASC", limit=_PAGE))
    views = [view_of(a) for a in latest]
    total = ops.count_latest_artifacts(_request())
    return _render(request, "artifacts.html", {"views": views, "total": total})


@router.get("/artifacts/key/{key}", response_class=HTMLResponse)
def artifact_key_page(request: Request, key: str) -> HTMLResponse:
    """One key: its latest version shown in full, then its history of versions."""
    from headwater.server.ui.pages_runs import not_found_page

    versions = operations_of(request).filter_artifacts(
        _request(artifacts={"key": {"any_": [key]}}, sort="CREATED_DESC", limit=_PAGE))
    if not versions:
        return not_found_page(request, f"There is no artifact with key {key!r}.")
    views = [view_of(a) for a in versions]
    return _render(request, "artifact.html", {"key": key, "views": views, "single": False})


@router.get("/artifacts/id/{artifact_id}", response_class=HTMLResponse)
def artifact_page(request: Request, artifact_id: str) -> HTMLResponse:
    """One artifact (any version, with or without a key)."""
    from headwater.server.ui.pages_runs import not_found_page

    try:
        artifact = operations_of(request).read_artifact(artifact_id)
    except ObjectNotFound:
        return not_found_page(request, f"There is no artifact with id {artifact_id!r}.")
    return _render(request, "artifact.html", {"key": artifact.key, "views": [view_of(artifact)], "single": True})
