"""File systems by object, as in `prefect.filesystems`: read and write bytes by path
under a base path, and usable as `result_storage=` of tasks and flows.

    LocalFileSystem(basepath="~/results")            a local directory
    RemoteFileSystem(basepath="s3://bucket/results")  any fsspec URL (`settings` go to fsspec)

Paths given to `read_path` / `write_path` are relative to the base path; a path that
would leave it is refused. Both are blocks (`headwater.blocks.core.Block`): saved by name
(`LocalFileSystem(basepath="results").save("my-results")`) they can be given as
`result_storage=` by slug, `"local-file-system/my-results"`.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from headwater.blocks.core import Block

__all__ = ["LocalFileSystem", "NullFileSystem", "ReadableFileSystem", "RemoteFileSystem", "WritableFileSystem"]


class ReadableFileSystem(Block):
    """A file system that bytes can be read from."""

    model_config = ConfigDict(extra="forbid")
    _block_schema_capabilities = ["read-path"]

    def read_path(self, path: str) -> bytes:
        raise NotImplementedError

    async def aread_path(self, path: str) -> bytes:
        """`read_path` for async code."""
        import asyncio

        return await asyncio.to_thread(self.read_path, path)


class WritableFileSystem(ReadableFileSystem):
    """A file system that bytes can also be written to; usable as `result_storage=`."""

    _block_schema_capabilities = ["read-path", "write-path"]

    def write_path(self, path: str, content: bytes) -> str:
        raise NotImplementedError

    async def awrite_path(self, path: str, content: bytes) -> str:
        """`write_path` for async code."""
        import asyncio

        return await asyncio.to_thread(self.write_path, path, content)

    def __fspath__(self) -> str:
        """The base path: where results go when this is a `result_storage`."""
        raise NotImplementedError

    def __str__(self) -> str:
        # Result storage is addressed by location (engine/caching.py): the base path.
        return self.__fspath__()


class LocalFileSystem(WritableFileSystem):
    """Store data as a file on a local file system.

    Files go under `basepath` (the current directory if it is None).

    Example:
        >>> fs = LocalFileSystem(basepath="data")  # doctest: +SKIP
        >>> fs.write_path("a/b.txt", b"hello")  # doctest: +SKIP
        '/.../data/a/b.txt'
    """

    _block_type_name = "Local File System"
    _block_schema_capabilities = ["read-path", "write-path", "get-directory", "put-directory"]

    basepath: str | None = Field(default=None, description="Default local path for this block to write to.")

    @field_validator("basepath", mode="before")
    @classmethod
    def _path_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, Path) else value

    def _base(self) -> Path:
        return Path(self.basepath).expanduser().resolve() if self.basepath else Path(".").resolve()

    def _resolve_path(self, path: str | None) -> Path:
        base = self._base()
        if path is None:
            return base
        resolved = Path(path).expanduser()
        resolved = (resolved if resolved.is_absolute() else base / resolved).resolve()
        if resolved != base and base not in resolved.parents:
            raise ValueError(f"Provided path {resolved} is outside of the base path {base}.")
        return resolved

    def read_path(self, path: str) -> bytes:
        """The bytes of the file at `path`.

        Raises:
            ValueError: it does not exist, is not a file, or is outside the base path.
        """
        resolved = self._resolve_path(path)
        if not resolved.exists():
            raise ValueError(f"Path {resolved} does not exist.")
        if not resolved.is_file():
            raise ValueError(f"Path {resolved} is not a file.")
        return resolved.read_bytes()

    def write_path(self, path: str, content: bytes) -> str:
        """Write `content` to the file at `path` (folders are made); returns its full path.

        Raises:
            ValueError: `path` is a directory, or outside the base path.
        """
        resolved = self._resolve_path(path)
        resolved.parent.mkdir(parents=True, exist_ok=True)
        if resolved.exists() and not resolved.is_file():
            raise ValueError(f"Path {resolved} already exists and is not a file.")
        resolved.write_bytes(content)
        return str(resolved)

    def get_directory(self, from_path: str | None = None, local_path: str | None = None) -> None:
        """Copy the folder `from_path` (default: the base path) into `local_path` (default: here)."""
        import shutil

        source = self._resolve_path(from_path) if from_path else self._base()
        target = Path(local_path or ".").resolve()
        if source != target:
            shutil.copytree(source, target, dirs_exist_ok=True)

    def put_directory(self, local_path: str | None = None, to_path: str | None = None,
                      ignore_file: str | None = None) -> None:
        """Copy the folder `local_path` (default: here) to `to_path` under the base path."""
        import shutil

        source = Path(local_path or ".").resolve()
        target = self._resolve_path(to_path) if to_path else self._base()
        if source != target:
            shutil.copytree(source, target, dirs_exist_ok=True)

    def __fspath__(self) -> str:
        return str(self._base())


class RemoteFileSystem(WritableFileSystem):
    """Store data as a file on a remote file system (any fsspec URL: `s3://bucket/prefix`,
    `gcs://...`, `memory://...`).

    Args:
        basepath: the URL paths are relative to; it needs a scheme and a location.
        settings: keyword arguments for the fsspec file system (credentials, endpoint...).
    """

    _block_type_name = "Remote File System"
    _block_schema_capabilities = ["read-path", "write-path", "get-directory", "put-directory"]

    basepath: str = Field(description="An fsspec URL with a scheme and a location.")
    settings: dict[str, Any] = Field(default_factory=dict)
    _filesystem: Any = PrivateAttr(None)

    @field_validator("basepath")
    @classmethod
    def _check_basepath(cls, value: str) -> str:
        scheme, netloc, _, _, _ = urllib.parse.urlsplit(value)
        if not scheme:
            raise ValueError(f"Base path must start with a scheme, like s3:// or memory://. Got {value!r}.")
        if not netloc:
            raise ValueError(f"Base path must include a location after the scheme. Got {value!r}.")
        if scheme == "file":
            raise ValueError("Base path scheme cannot be 'file'. Use `LocalFileSystem` for local files.")
        return value

    def _resolve_path(self, path: str) -> str:
        scheme, netloc, urlpath, _, _ = urllib.parse.urlsplit(path)
        base_scheme, base_netloc, base_path, _, _ = urllib.parse.urlsplit(self.basepath)
        decoded = urllib.parse.unquote(urlpath).replace("\\", "/")
        if any(part == ".." for part in decoded.split("/")):
            raise ValueError(f"Path {path!r} is outside of the base path {self.basepath!r}.")
        if scheme and scheme.lower() != base_scheme.lower():
            raise ValueError(f"Path {path!r} with scheme {scheme!r} must use the same scheme as the base "
                             f"path {base_scheme!r}.")
        if netloc:
            base = base_path.rstrip("/")
            if netloc != base_netloc or not (urlpath == base or urlpath.startswith(base + "/")):
                raise ValueError(f"Path {path!r} is outside of the base path {self.basepath!r}.")
            return urllib.parse.urlunsplit((base_scheme, base_netloc, urlpath or "/", "", ""))
        return f"{self.basepath.rstrip('/')}/{urlpath.lstrip('/')}"

    @property
    def filesystem(self) -> Any:
        """The fsspec file system for the base path's scheme."""
        if self._filesystem is None:
            import fsspec

            scheme = urllib.parse.urlsplit(self.basepath).scheme
            try:
                self._filesystem = fsspec.filesystem(scheme, **self.settings)
            except ImportError as exc:
                raise RuntimeError(
                    f"no file system for {self.basepath!r}: the package for {scheme}:// is not installed "
                    f"({exc}); install it (for example s3fs for s3://, gcsfs for gcs://)"
                ) from exc
        return self._filesystem

    def read_path(self, path: str) -> bytes:
        """The bytes stored at `path`."""
        with self.filesystem.open(self._resolve_path(path), "rb") as f:
            data: bytes = f.read()  # fsspec has no type hints
        return data

    def write_path(self, path: str, content: bytes) -> str:
        """Store `content` at `path` (folders are made); returns its full URL."""
        resolved = self._resolve_path(path)
        self.filesystem.makedirs(resolved[: resolved.rindex("/")], exist_ok=True)
        with self.filesystem.open(resolved, "wb") as f:
            f.write(content)
        return resolved

    def __fspath__(self) -> str:
        return self.basepath

    def __str__(self) -> str:
        return self.basepath


class NullFileSystem(BaseModel):
    """A file system that stores nothing (a placeholder where no storage is wanted)."""

    model_config = ConfigDict(extra="forbid")

    def read_path(self, path: str) -> None:
        return None

    def write_path(self, path: str, content: bytes) -> None:
        return None


# Prefect's names for the deployment-storage roles these play as well.
ReadableDeploymentStorage = ReadableFileSystem
WritableDeploymentStorage = WritableFileSystem
