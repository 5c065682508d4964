"""Flows whose code lives elsewhere: `flow.from_source(source, entrypoint)`, and loading
a deployment's flow after running its pull steps (what a worker's run process does).

    etl = flow.from_source("https://github.com/org/etl.git", "flows/etl.py:pipeline")
    etl.deploy("nightly", work_pool_name="local")   # the deployment keeps a git_clone pull step

`from_source` fetches the code now (a git checkout in the cache under
`$HEADWATER_HOME/code`, a local directory as it is, a remote directory copied), loads
the flow from it, and remembers the storage and the entrypoint relative to it, so
`to_deployment` / `deploy` / `serve` record a pull step and that relative entrypoint
instead of a path on this machine. Before each run of such a deployment, the run's
process runs the pull steps (a new commit on the branch is checked out then) and
loads the entrypoint from the directory they end in.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.engine.flows import Flow

__all__ = ["flow_from_source", "load_flow_after_pull_steps", "storage_for"]


def storage_for(source: Any) -> Any:
    """A storage object for what `from_source` was given.

    Raises:
        TypeError: not a path, URL, storage or block with `get_directory`.
    """
    from headwater.runner.storage import BlockStorageAdapter, RunnerStorage, create_storage_from_source

    if isinstance(source, (str, Path)):
        return create_storage_from_source(str(source))
    if isinstance(source, RunnerStorage):
        return source
    if hasattr(source, "get_directory"):
        return BlockStorageAdapter(source)
    raise TypeError(f"Unsupported source type {type(source).__name__!r}. Please provide a URL to remote storage or "
                    "a storage object.")


def flow_from_source(source: Any, entrypoint: str) -> Flow[Any, Any]:
    """Fetch the code, load the flow `entrypoint` names in it, and remember where it came from.

    Raises:
        GitError: a git repository, branch or commit cannot be had (named).
        EntrypointError: the entrypoint names no flow in the fetched code.
        TypeError: an unsupported `source`.
    """
    from headwater.engine.entrypoints import load_flow
    from headwater.runner.storage import LocalStorage

    storage = storage_for(source)
    if not isinstance(storage, LocalStorage):
        pull = getattr(storage, "pull_sync", None)
        if callable(pull):
            pull()
        else:  # a block or a storage of the user's: async only
            import asyncio

            storage.set_base_path(Path(tempfile.mkdtemp(prefix="headwater-source-")))
            asyncio.run(_awaited(storage.pull_code()))
    destination = Path(storage.destination)
    if ":" in entrypoint:
        flow = load_flow(str(destination / entrypoint))
    else:  # a module path: importable from the code's directory
        sys.path.insert(0, str(destination))
        try:
            flow = load_flow(entrypoint)
        finally:
            sys.path.remove(str(destination))
    flow._storage = storage
    flow._entrypoint = entrypoint
    return flow


async def _awaited(awaitable: Any) -> Any:
    return await awaitable


def load_flow_after_pull_steps(entrypoint: str, pull_steps: list[dict[str, Any]] | None) -> Flow[Any, Any]:
    """Run a deployment's pull steps in this process, then load its entrypoint from the
    directory they give (the last `directory` output, else where they left the process).

    Raises:
        StepError: a pull step is unknown or failed (named), before the flow is loaded.
        TemplateError: a placeholder in a step cannot be filled.
        EntrypointError: the entrypoint names no flow in the fetched code.
    """
    from headwater.deployments.steps import run_steps
    from headwater.engine.entrypoints import load_flow

    if pull_steps:
        output = run_steps(pull_steps)
        directory = output.get("directory")
        if directory:
            os.chdir(directory)
        if os.getcwd() not in sys.path:
            sys.path.insert(0, os.getcwd())  # module-path entrypoints in the fetched code
    return load_flow(entrypoint)
