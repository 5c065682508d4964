"""Where a deployment's code comes from: Prefect's `prefect.runner.storage`.

    from headwater.runner.storage import GitRepository

    flow.from_source(GitRepository(url="https://github.com/org/etl.git", branch="main"),
                     entrypoint="flows/etl.py:pipeline").deploy("nightly", work_pool_name="local")

A storage object fetches the code (`pull_code()`) into `destination` and describes
itself as a *pull step* (`to_pull_step()`), which the deployment keeps: before each
run, the run's process executes the pull steps (`headwater.deployments.steps`) and
loads the entrypoint from the directory they give.

- `GitRepository`: a git repository at a branch (default: its default branch) or a
  commit, checked out through the `git` command into a cache keyed by commit
  (`headwater/runner/git.py`); credentials as a dict (`access_token`, `username`) or
  a `Secret` block for https URLs.
- `LocalStorage`: a directory already on the machine that runs the flows.
- `RemoteStorage`: any fsspec URL (`s3://bucket/path`, `file:///srv/code`), copied.
- `BlockStorageAdapter`: a file-system block with `get_directory`.

`create_storage_from_source(source)` picks one from a string, as Prefect does: a URL
whose scheme is `git` or whose path ends in `.git` is a git repository (also
`file:///srv/git/etl.git`), another `file://` URL or a plain path a local directory,
another fsspec scheme remote storage.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Optional, Protocol, Union, runtime_checkable
from urllib.parse import urlparse

__all__ = ["BlockStorageAdapter", "GitRepository", "LocalStorage", "RemoteStorage", "RunnerStorage",
           "create_storage_from_source"]

_STEPS = "prefect.deployments.steps"  # the names Prefect's project files use; headwater reads both


@runtime_checkable
class RunnerStorage(Protocol):
    """What a code storage provides (Prefect's protocol)."""

    def set_base_path(self, path: Path) -> None:
        """Where `destination` is made (ignored by storages that keep their own place)."""

    @property
    def pull_interval(self) -> Optional[int]:
        """Seconds between pulls when served (headwater pulls before each run instead)."""

    @property
    def destination(self) -> Path:
        """The local directory holding the code once pulled."""

    async def pull_code(self) -> None:
        """Fetch the code into `destination`."""

    def to_pull_step(self) -> dict[str, Any] | list[dict[str, Any]]:
        """The pull step a deployment keeps to fetch this code before each run."""


def _cache_root() -> Path:
    from headwater.core.settings import get_settings

    return Path(get_settings().home) / "code"


class GitRepository:
    """A git repository, at a branch or a commit.

    Args:
        url: the repository's URL (https, ssh, `git@host:org/repo.git`, or `file://`).
        credentials: for an https URL: `{"access_token": ...}` (a string or a `Secret`
            block), with `username` when the host needs one.
        name: a name for it (default: from the URL and branch).
        branch: the branch or tag (default: the repository's default branch).
        commit_sha: a commit instead of a branch.
        include_submodules, directories: accepted as in Prefect; headwater checks out
            the whole repository without submodules.
        pull_interval: accepted as in Prefect; headwater pulls before each run.

    Raises:
        ValueError: a username without a token, both a branch and a commit, a branch
            starting with "-", or a commit that is not hexadecimal.
    """

    def __init__(self, url: str, credentials: Union[dict[str, Any], Any, None] = None, name: str | None = None,
                 branch: str | None = None, commit_sha: str | None = None, include_submodules: bool = False,
                 pull_interval: int | None = 60, directories: list[str] | None = None) -> None:
        import re

        credentials = {} if credentials is None else credentials
        if isinstance(credentials, dict) and credentials.get("username") and not (
                credentials.get("access_token") or credentials.get("password")):
            raise ValueError("If a username is provided, an access token or password must also be provided.")
        if branch and commit_sha:
            raise ValueError("Cannot provide both a branch and a commit SHA. Please provide only one.")
        if branch and branch.startswith("-"):
            raise ValueError("Branch names cannot start with '-'.")
        if commit_sha and not re.match(r"^[0-9a-fA-F]{4,64}$", commit_sha):
            raise ValueError(f"Invalid commit SHA: {commit_sha!r}. Expected a hexadecimal Git commit SHA (4–64 "
                             "characters). If you are trying to specify a branch or tag name, use the 'branch' "
                             "parameter instead.")
        from headwater.runner.git import repository_name

        self._url = url
        self._branch = branch
        self._commit_sha = commit_sha
        self._credentials = credentials
        self._include_submodules = include_submodules
        self._directories = directories
        self._pull_interval = pull_interval
        default = repository_name(url) + (f"-{branch.replace('/', '-')}" if branch else "")
        self._name = name or default
        self._base_path: Path | None = None
        self._checkout: Path | None = None
        self.commit: str | None = None
        """The commit checked out by the last `pull_code()` (None before)."""

    @property
    def destination(self) -> Path:
        """The checkout of the last pull (before one: `base path / name`)."""
        if self._checkout is not None:
            return self._checkout
        return (self._base_path or Path.cwd()) / self._name

    def set_base_path(self, path: Path) -> None:
        """Accepted for Prefect's protocol: checkouts live in the cache under `$HEADWATER_HOME/code`."""
        self._base_path = path

    @property
    def pull_interval(self) -> Optional[int]:
        """As given (headwater pulls before each run)."""
        return self._pull_interval

    def _credentials_dict(self) -> dict[str, Any] | None:
        if isinstance(self._credentials, dict):
            return self._credentials
        data = getattr(self._credentials, "model_dump", None)  # a credentials block
        return dict(data()) if callable(data) else None

    def pull_sync(self) -> Path:
        """Check out the branch's current commit (or `commit_sha`); the directory.

        Raises:
            GitError: the repository, branch or commit cannot be had (named).
        """
        from headwater.runner.git import check_out

        checkout = check_out(self._url, branch=self._branch, commit_sha=self._commit_sha,
                             credentials=self._credentials_dict(), cache=_cache_root())
        self._checkout, self.commit = checkout.directory, checkout.commit
        return checkout.directory

    async def pull_code(self) -> None:
        """`pull_sync` in a worker thread."""
        import anyio

        await anyio.to_thread.run_sync(self.pull_sync)

    def to_pull_step(self) -> dict[str, Any]:
        """A `git_clone` step with the URL, branch and commit (never a plain token: a
        `Secret` block is kept as its placeholder; a token string is refused)."""
        from headwater.runner.git import repository_name

        step: dict[str, Any] = {"repository": self._url, "branch": self._branch}
        default = repository_name(self._url) + (f"-{self._branch.replace('/', '-')}" if self._branch else "")
        if self._name != default:
            step["clone_directory_name"] = self._name
        if self._directories:
            step["directories"] = self._directories
        if self._include_submodules:
            step["include_submodules"] = True
        if self._commit_sha:
            step["commit_sha"] = self._commit_sha
        if isinstance(self._credentials, dict):
            token = self._credentials.get("access_token")
            if token is not None and hasattr(token, "get_block_placeholder"):
                step["credentials"] = {**self._credentials,
                                       "access_token": f"{{{{ {token.get_block_placeholder()} }}}}"}
            elif token is not None:
                raise ValueError("Please save your access token as a Secret block before converting this storage "
                                 "object to a pull step.")
        elif hasattr(self._credentials, "get_block_placeholder"):
            step["credentials"] = f"{{{{ {self._credentials.get_block_placeholder()} }}}}"
        return {f"{_STEPS}.git_clone": step}

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, GitRepository) and (self._url, self._branch, self._name) == (
            other._url, other._branch, other._name)

    def __repr__(self) -> str:
        return f"GitRepository(name={self._name!r} repository={self._url!r}, branch={self._branch!r})"


class LocalStorage:
    """A directory on the machine that runs the flows (nothing is copied).

    Args:
        path: the directory.
    """

    def __init__(self, path: str, pull_interval: Optional[int] = None) -> None:
        self._path = Path(path).resolve()
        self._pull_interval = pull_interval

    @property
    def destination(self) -> Path:
        """The directory itself."""
        return self._path

    def set_base_path(self, path: Path) -> None:
        """Ignored: the code stays where it is."""

    @property
    def pull_interval(self) -> Optional[int]:
        """As given."""
        return self._pull_interval

    async def pull_code(self) -> None:
        """Nothing to fetch: the code is on this machine."""

    def to_pull_step(self) -> dict[str, Any]:
        """A `set_working_directory` step to the directory."""
        return {f"{_STEPS}.set_working_directory": {"directory": str(self.destination)}}

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, LocalStorage) and self._path == other._path

    def __repr__(self) -> str:
        return f"LocalStorage(path={self._path!r})"


class RemoteStorage:
    """A directory at any fsspec URL, copied to this machine before each run.

    Args:
        url: `protocol://path` (`s3://bucket/code`, `file:///srv/code`).
        **settings: the file system's options (credentials, endpoint).
    """

    def __init__(self, url: str, pull_interval: Optional[int] = 60, **settings: Any) -> None:
        self._url = url
        self._settings = settings
        self._pull_interval = pull_interval
        self._base_path: Path | None = None

    @property
    def destination(self) -> Path:
        """`base path / <last part of the URL's path>`."""
        remote = urlparse(self._url)
        name = (remote.netloc + remote.path).rstrip("/").split("/")[-1] or "code"
        return (self._base_path or Path.cwd()) / name

    def set_base_path(self, path: Path) -> None:
        """Where the copy is made."""
        self._base_path = path

    @property
    def pull_interval(self) -> Optional[int]:
        """As given."""
        return self._pull_interval

    def pull_sync(self) -> Path:
        """Copy the remote directory to `destination` (replacing an older copy).

        Raises:
            RuntimeError: the copy failed (the URL and the error named).
        """
        from headwater.runner.remote import copy_remote_directory

        copy_remote_directory(self._url, self.destination, self._settings)
        return self.destination

    async def pull_code(self) -> None:
        """`pull_sync` in a worker thread."""
        import anyio

        await anyio.to_thread.run_sync(self.pull_sync)

    def to_pull_step(self) -> dict[str, Any]:
        """A `pull_from_remote_storage` step with the URL and settings."""
        return {f"{_STEPS}.pull_from_remote_storage": {"url": self._url, **self._settings}}

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, RemoteStorage) and self._url == other._url

    def __repr__(self) -> str:
        return f"RemoteStorage(url={self._url!r})"


class BlockStorageAdapter:
    """A file-system block (anything with `get_directory`) as code storage.

    Raises:
        TypeError: not a block; ValueError: it has no `get_directory`.
    """

    def __init__(self, block: Any, pull_interval: Optional[int] = 60) -> None:
        from headwater.blocks.core import Block

        if not isinstance(block, Block):
            raise TypeError("Expected a block object. Received a {!r} object.".format(type(block).__name__))
        if not hasattr(block, "get_directory"):
            raise ValueError("Provided block must have a `get_directory` method.")
        self._block = block
        self._pull_interval = pull_interval
        self._base_path: Path | None = None
        self._name = getattr(block, "_block_document_name", None) or type(block).__name__.lower()

    @property
    def destination(self) -> Path:
        """`base path / the block's name`."""
        return (self._base_path or Path.cwd()) / self._name

    def set_base_path(self, path: Path) -> None:
        """Where the copy is made."""
        self._base_path = path

    @property
    def pull_interval(self) -> Optional[int]:
        """As given."""
        return self._pull_interval

    async def pull_code(self) -> None:
        """Copy the block's directory to `destination`."""
        if self.destination.exists():
            shutil.rmtree(self.destination)
        self.destination.mkdir(parents=True, exist_ok=True)
        result = self._block.get_directory(local_path=str(self.destination))
        if hasattr(result, "__await__"):
            await result

    def to_pull_step(self) -> dict[str, Any]:
        """A `pull_with_block` step naming the saved block.

        Raises:
            ValueError: the block was never saved (a run could not load it).
        """
        name = getattr(self._block, "_block_document_name", None)
        if not name:
            raise ValueError("Block must be saved with `.save()` before it can be converted to a pull step.")
        slug = getattr(type(self._block), "get_block_type_slug", lambda: type(self._block).__name__.lower())()
        return {f"{_STEPS}.pull_with_block": {"block_type_slug": slug, "block_document_name": name}}

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, BlockStorageAdapter) and self._block == other._block


def create_storage_from_source(source: str, pull_interval: Optional[int] = 60) -> RunnerStorage:
    """A storage for a git URL, a local path or an fsspec URL (see the module docstring)."""
    import fsspec

    parsed = urlparse(source)
    if parsed.scheme == "git" or parsed.path.endswith(".git"):
        return GitRepository(url=source, pull_interval=pull_interval)
    if parsed.scheme in ("file", "local"):
        return LocalStorage(path=source.split("://", 1)[-1], pull_interval=pull_interval)
    if parsed.scheme and len(parsed.scheme) > 1 and parsed.scheme in fsspec.available_protocols():
        return RemoteStorage(url=source, pull_interval=pull_interval)
    return LocalStorage(path=source, pull_interval=pull_interval)
