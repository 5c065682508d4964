"""Steps that fetch a deployment's code before a run (Prefect's `prefect.deployments.steps.pull`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional

__all__ = ["git_clone", "pull_from_remote_storage", "pull_with_block", "set_working_directory"]


def set_working_directory(directory: str) -> dict[str, str]:
    """Change to `directory` (absolute or relative). Output: `directory`, the absolute path."""
    os.chdir(Path(directory).expanduser())
    return {"directory": os.getcwd()}


def git_clone(repository: str, branch: Optional[str] = None, commit_sha: Optional[str] = None,
              include_submodules: bool = False, access_token: Optional[str] = None, credentials: Any = None,
              directories: Optional[list[str]] = None,
              clone_directory_name: Optional[str] = None) -> dict[str, str]:
    """Check out a git repository at the head of `branch` (default: its default branch)
    or at `commit_sha`. Output: `directory`, the checkout.

    Unlike Prefect, which clones into the current directory each time, the checkout is
    kept in a cache under `$HEADWATER_HOME/code` keyed by commit: a run of a commit
    already checked out reuses it, and a new commit is checked out anew.

    Raises:
        GitError: the repository, branch or commit cannot be had (named).
    """
    from headwater.runner.storage import GitRepository

    if access_token and credentials:
        raise ValueError("Please provide either an access token or credentials but not both.")
    given = {"access_token": access_token} if access_token else credentials
    if given is not None and not isinstance(given, dict) and hasattr(given, "model_dump"):
        given = given.model_dump()
    storage = GitRepository(url=repository, credentials=given, name=clone_directory_name, branch=branch,
                            commit_sha=commit_sha, include_submodules=include_submodules, directories=directories)
    return {"directory": str(storage.pull_sync())}


def pull_from_remote_storage(url: str, **settings: Any) -> dict[str, Any]:
    """Copy the directory at an fsspec URL into the current directory. Output: `directory`."""
    from headwater.runner.storage import RemoteStorage

    storage = RemoteStorage(url, **settings)
    storage.set_base_path(Path.cwd())
    return {"directory": str(storage.pull_sync())}


def pull_with_block(block_document_name: str, block_type_slug: str) -> dict[str, Any]:
    """Copy a saved file-system block's directory into the current directory. Output: `directory`."""
    from headwater.blocks.core import Block

    block = Block.load(f"{block_type_slug}/{block_document_name}")
    directory = Path.cwd() / block_document_name
    directory.mkdir(parents=True, exist_ok=True)
    block.get_directory(local_path=str(directory))
    return {"directory": str(directory)}
