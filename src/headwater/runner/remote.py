"""Copying a directory from any fsspec URL to this machine (`RemoteStorage`, the
`pull_from_remote_storage` step)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

__all__ = ["copy_remote_directory"]


def copy_remote_directory(url: str, destination: Path, settings: dict[str, Any] | None = None) -> Path:
    """Copy the directory at `url` to `destination`, replacing what was there.

    Raises:
        RuntimeError: the file system is unknown, the path is missing, or the copy
            failed; the URL and the cause are named.
    """
    import fsspec

    try:
        fs, path = fsspec.core.url_to_fs(url, **(settings or {}))
    except (ImportError, ValueError) as exc:
        raise RuntimeError(f"cannot open {url!r}: {exc}") from None
    try:
        if not fs.exists(path):
            raise RuntimeError(f"failed to pull the code from {url!r}: nothing exists there")
        staging = destination.with_name(destination.name + ".partial")
        if staging.exists():
            shutil.rmtree(staging)
        fs.get(path.rstrip("/") + "/", str(staging), recursive=True)
        if destination.exists():
            shutil.rmtree(destination)
        staging.rename(destination)
    except RuntimeError:
        raise
    except Exception as exc:
        raise RuntimeError(f"failed to pull the code from {url!r}: {type(exc).__name__}: {exc}") from None
    return destination
