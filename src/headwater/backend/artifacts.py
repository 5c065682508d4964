"""Prefect 1's `prefect.backend.artifacts`: markdown and link artifacts of a task run.

In Prefect 1 these act only in runs made by a backend (Server or Cloud) and do nothing
in `flow.run()`. headwater records every run, so inside a task run they create,
change and delete artifacts of that task run (shown on its page and by `headwater
artifact ls`); outside a task run they do nothing and return None, as Prefect 1's do
without a backend. Links are stored as markdown `[link](link)`, as Prefect 3's link
artifacts are.
"""

from __future__ import annotations

from typing import Any, Optional
from uuid import UUID

__all__ = [
    "create_link_artifact", "create_markdown_artifact", "delete_artifact", "update_link_artifact",
    "update_markdown_artifact",
]


def _task_run() -> Any:
    """The task run executing here, or None."""
    import sys

    context = sys.modules.get("headwater.engine.context")
    return context.task_run_var.get() if context is not None else None


def create_link_artifact(link: str) -> Optional[str]:
    """Create a link artifact of the running task run; its id, or None outside a task run."""
    if _task_run() is None:
        return None
    from headwater.artifacts import create_link_artifact as create

    return str(create(link, _sync=True))


def create_markdown_artifact(markdown: str) -> Optional[str]:
    """Create a markdown artifact of the running task run; its id, or None outside a task run."""
    if _task_run() is None:
        return None
    from headwater.artifacts import create_markdown_artifact as create

    return str(create(markdown, _sync=True))


def _update(task_run_artifact_id: str, data: str) -> None:
    run = _task_run()
    if run is None:
        return
    from headwater.core import clock
    from headwater.orchestrator.records import ArtifactUpdated

    # With the run's history, in order after the artifact's creation.
    run.orchestrator.emit(ArtifactUpdated(str(UUID(str(task_run_artifact_id))), data, None, clock.now()))


def update_link_artifact(task_run_artifact_id: str, link: str) -> None:
    """Replace the link of a link artifact (inside a task run; else nothing)."""
    _update(task_run_artifact_id, f"[{link}]({link})")


def update_markdown_artifact(task_run_artifact_id: str, markdown: str) -> None:
    """Replace the markdown of a markdown artifact (inside a task run; else nothing)."""
    _update(task_run_artifact_id, markdown)


def delete_artifact(task_run_artifact_id: str) -> None:
    """Delete an artifact (inside a task run; else nothing).

    Raises:
        ObjectNotFound: no artifact has this id.
    """
    if _task_run() is None:
        return
    from headwater.client.kept import kept_client

    kept_client().delete_artifact(task_run_artifact_id)
