"""Where records live: a local directory, or any fsspec filesystem by URL.

Local directories (a path, or a `file://` URL) are read and written with plain
file calls: a cache hit is one `open` and one `read`, and a write goes to a
temporary name in the same directory and is renamed into place (`os.replace` is
atomic), so a reader sees either the old record or the new one, never half of one.
Other URLs (`s3://bucket/prefix`, `memory://x`, ...) go through fsspec, whose
object stores replace an object in one request.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any, Protocol

__all__ = ["FsspecStorage", "LocalStorage", "ResultStorage", "is_local", "open_storage"]

_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20


class ResultStorage(Protocol):
    """Bytes by key, inside one location."""

    local_root: Path | None  # the directory, when the storage is local

    def location(self, key: str) -> str:
        """The full path or URL of `key`."""

    def read(self, key: str) -> bytes | None:
        """The bytes stored under `key`, or None if there are none."""

    def write(self, key: str, data: bytes) -> None:
        """Store `data` under `key`, replacing what was there in one step."""


class LocalStorage:
    """Records as files under one directory."""

    def __init__(self, root: Path) -> None:
        self.local_root: Path | None = root
        self._root = str(root)
        self._made: set[str] = set()

    def location(self, key: str) -> str:
        return f"{self._root}/{key}"

    def read(self, key: str) -> bytes | None:
        # os-level calls: no buffered file object for a read that takes the whole file.
        try:
            fd = os.open(f"{self._root}/{key}", _READ_FLAGS)
        except FileNotFoundError:
            return None
        try:
            chunks = []
            while True:
                chunk = os.read(fd, _CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)
        finally:
            os.close(fd)

    def write(self, key: str, data: bytes) -> None:
        path = f"{self._root}/{key}"
        folder = os.path.dirname(path)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        # A name no other writer (thread or process) uses, in the same directory so
        # that the rename stays on one filesystem and is atomic.
        temporary = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            try:
                f = open(temporary, "wb")
            except FileNotFoundError:  # the folder was removed since this process made it
                os.makedirs(folder, exist_ok=True)
                f = open(temporary, "wb")
            with f:
                f.write(data)
            os.replace(temporary, path)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise

    def __repr__(self) -> str:
        return f"LocalStorage({self._root!r})"


class FsspecStorage:
    """Records as objects of an fsspec filesystem."""

    local_root: Path | None = None

    def __init__(self, url: str) -> None:
        try:
            import fsspec
        except ImportError as exc:  # pragma: no cover - fsspec is a dependency
            raise ValueError(f"result_storage {url!r} needs fsspec: pip install fsspec") from exc
        try:
            self._fs, self._root = fsspec.core.url_to_fs(url)
        except (ImportError, ValueError) as exc:
            raise ValueError(f"cannot open result_storage {url!r}: {exc}") from None
        self._url = url.rstrip("/")
        self._root = self._root.rstrip("/")

    def location(self, key: str) -> str:
        return f"{self._url}/{key}"

    def read(self, key: str) -> bytes | None:
        try:
            data: bytes = self._fs.cat_file(f"{self._root}/{key}")
            return data
        except FileNotFoundError:
            return None

    def write(self, key: str, data: bytes) -> None:
        path = f"{self._root}/{key}"
        parent = path.rsplit("/", 1)[0]
        if parent:
            self._fs.makedirs(parent, exist_ok=True)
        self._fs.pipe_file(path, data)

    def __repr__(self) -> str:
        return f"FsspecStorage({self._url!r})"


def is_local(location: str) -> bool:
    """Whether `location` is a local path (or a `file://` URL)."""
    return "://" not in location or location.startswith("file://")


_open: dict[str, ResultStorage] = {}
_open_lock = threading.Lock()


def open_storage(location: str | os.PathLike[str]) -> ResultStorage:
    """The storage at `location` (one object per location per process).

    Raises:
        ValueError: the URL's filesystem is unknown or cannot be opened.
    """
    text = os.fspath(location)
    storage = _open.get(text)
    if storage is None:
        with _open_lock:
            storage = _open.get(text)
            if storage is None:
                if is_local(text):
                    path = text[len("file://"):] if text.startswith("file://") else text
                    storage = LocalStorage(Path(path).expanduser().absolute())
                else:
                    storage = FsspecStorage(text)
                _open[text] = storage
    return storage
