"""`GET /api/health` (true while the server runs) and `GET /api/admin/version`."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/health", summary="Is the server up?")
async def health() -> bool:
    """Return true: the server process is up and answering."""
    return True


@router.get("/admin/version", summary="The server's headwater version")
async def version() -> str:
    """The headwater version the server runs."""
    from headwater._version import __version__

    return __version__
