"""Artifacts: what runs show people (Prefect's `prefect.artifacts`).

    from headwater import flow
    from headwater.artifacts import create_markdown_artifact, create_table_artifact

    @flow
    def report():
        create_markdown_artifact("## Done\\n\\nAll **good**.", key="nightly-report")
        create_table_artifact([{"city": "Oslo", "rows": 12}], key="row-counts")

Each `create_*` function returns the new artifact's id. Made inside a flow run or a
task run, the artifact is linked to them and goes with the run's history through the
background writer (embedded, or to the server in client mode): creating one costs
about as much as a log line and never waits on the database. Made outside any run, it
is written at once through the client (`get_client()`), with Prefect's FutureWarning.

With a `key` (lowercase letters, numbers and dashes), an artifact is a new *version*
of that key: `Artifact.get(key)` reads the latest, and the UI's Artifacts page shows
the history. In async code (an `async def` flow or task, or a running event loop)
the `create_*` functions return coroutines, as Prefect's do; the `a`-prefixed twins
always do.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import sys
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar, Union
from uuid import UUID

from pydantic import AfterValidator, BaseModel

from headwater.client.kept import kept_client
from headwater.core.async_dispatch import dispatch
from headwater.core.artifact_schemas import check_artifact_key, is_artifact_key

_T = TypeVar("_T")

if TYPE_CHECKING:
    from headwater.client.schemas.objects import Artifact as ArtifactResponse

__all__ = [
    "Artifact",
    "ImageArtifact",
    "LinkArtifact",
    "MarkdownArtifact",
    "ProgressArtifact",
    "TableArtifact",
    "acreate_image_artifact",
    "acreate_link_artifact",
    "acreate_markdown_artifact",
    "acreate_progress_artifact",
    "acreate_table_artifact",
    "aupdate_progress_artifact",
    "create_image_artifact",
    "create_link_artifact",
    "create_markdown_artifact",
    "create_progress_artifact",
    "create_table_artifact",
    "update_progress_artifact",
]

logger = logging.getLogger("headwater.artifacts")

_OUTSIDE_RUN = ("Artifact creation outside of a flow or task run is deprecated and will be removed in a later "
                "version.")



# -- where a call comes from -----------------------------------------------------------
def _current_runs() -> tuple[Any, Any]:
    """(task run, flow run) executing here; (None, None) outside any run."""
    context = sys.modules.get("headwater.engine.context")
    if context is None:  # no flow or task has run in this process
        return None, None
    return context.task_run_var.get(), context.flow_run_var.get()


def _emit_created(type_: str | None, key: str | None, description: str | None, data: Any,
                  flow_run_id: str | None = None, task_run_id: str | None = None) -> tuple[str, float, Any] | None:
    """Inside a run: queue the artifact with the run's history; (id, created, run) or None outside."""
    task_run, flow_run = _current_runs()
    run = task_run or flow_run
    if run is None:
        return None
    from headwater.core import clock
    from headwater.core.ids import new_id
    from headwater.orchestrator.records import ArtifactCreated

    artifact_id, now = new_id(), clock.now()
    if task_run is not None:
        task_run_id = task_run_id or task_run.id
        flow_run_id = flow_run_id or task_run.flow_run_id
    else:
        flow_run_id = flow_run_id or flow_run.id
    run.orchestrator.emit(ArtifactCreated(artifact_id, key, type_, description, data, flow_run_id, task_run_id,
                                          now))
    return artifact_id, now, (flow_run_id, task_run_id)


def _create_through_client(type_: str | None, key: str | None, description: str | None, data: Any,
                           flow_run_id: Any = None, task_run_id: Any = None,
                           metadata: dict[str, str] | None = None) -> ArtifactResponse:
    from headwater.client.schemas.actions import ArtifactCreate

    warnings.warn(_OUTSIDE_RUN, FutureWarning, stacklevel=4)
    body = ArtifactCreate(key=key, type=type_, description=description, data=data, metadata_=metadata,
                          flow_run_id=flow_run_id, task_run_id=task_run_id)
    return kept_client().create_artifact(body)


def _create_id(type_: str | None, key: str | None, description: str | None, data: Any) -> UUID:
    emitted = _emit_created(type_, key, description, data)
    if emitted is not None:
        return UUID(emitted[0])
    return _create_through_client(type_, key, description, data).id


# -- the classes -----------------------------------------------------------------------
def _key(key: Optional[str]) -> Optional[str]:
    return key if key is None else check_artifact_key(key)


class Artifact(BaseModel):
    """An artifact to create: `Artifact(key=..., type=..., description=..., data=...).create()`.

    Attributes:
        key: lowercase letters, numbers and dashes; artifacts with the same key are
            versions of it.
        type: what `data` holds (`markdown`, `table`, `progress`, `image`, ...).
        description: markdown shown with it.
        data: any JSON value (stored as its JSON text, as Prefect does).
    """

    key: Annotated[Optional[str], AfterValidator(_key)] = None
    type: Optional[str] = None
    description: Optional[str] = None
    data: Any = None
    metadata_: Optional[dict[str, str]] = None
    flow_run_id: Optional[UUID] = None
    task_run_id: Optional[UUID] = None

    def format(self, _sync: bool | None = None) -> Any:
        """The data as stored: its JSON text (subclasses: their own form)."""
        return self._format()

    async def aformat(self) -> Any:
        """`format`, as a coroutine."""
        return self._format()

    def _format(self) -> Any:
        return json.dumps(self.data)

    def _create(self) -> ArtifactResponse:
        from headwater.client.schemas.objects import Artifact as Response
        from headwater.core.clock import to_datetime

        data = self._format()
        flow_run_id = str(self.flow_run_id) if self.flow_run_id else None
        task_run_id = str(self.task_run_id) if self.task_run_id else None
        emitted = None if self.metadata_ else _emit_created(self.type, self.key, self.description, data,
                                                            flow_run_id, task_run_id)
        if emitted is None:
            return _create_through_client(self.type, self.key, self.description, data, flow_run_id, task_run_id,
                                          self.metadata_)
        artifact_id, now, (flow_run, task_run) = emitted
        created = to_datetime(now)
        return Response(id=UUID(artifact_id), key=self.key, type=self.type, description=self.description, data=data,
                        flow_run_id=flow_run, task_run_id=task_run, created=created, updated=created)

    async def acreate(self, client: Any = None) -> ArtifactResponse:
        """`create`, as a coroutine."""
        return await asyncio.to_thread(self._create)

    def create(self, client: Any = None, _sync: bool | None = None) -> Any:
        """Store this artifact (linked to the current run, if any) and return it as stored
        (a coroutine of it in async code). `client` is accepted and not needed."""
        return dispatch(self._create, lambda: self.acreate(client), _sync)

    @classmethod
    def _get(cls, key: str | None) -> ArtifactResponse | None:
        from headwater.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
        from headwater.client.schemas.sorting import ArtifactSort

        found = kept_client().read_artifacts(
            limit=1, sort=ArtifactSort.UPDATED_DESC,
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=None if key is None else [key])))
        return found[0] if found else None

    @classmethod
    async def aget(cls, key: str | None = None, client: Any = None) -> ArtifactResponse | None:
        """`get`, as a coroutine."""
        return await asyncio.to_thread(cls._get, key)

    @classmethod
    def get(cls, key: str | None = None, client: Any = None, _sync: bool | None = None) -> Any:
        """The most recently updated artifact with `key` (of any key if None), or None.

        Example:
            >>> Artifact.get("surely-never-made") is None
            True
        """
        return dispatch(lambda: cls._get(key), lambda: cls.aget(key, client), _sync)

    @classmethod
    def _get_or_create(cls, key: str | None, description: str | None, data: Any,
                       **kwargs: Any) -> tuple[ArtifactResponse, bool]:
        found = cls._get(key)
        if found is not None:
            return found, False
        return cls(key=key, description=description, data=data, **kwargs)._create(), True

    @classmethod
    async def aget_or_create(cls, key: str | None = None, description: str | None = None, data: Any = None,
                             client: Any = None, **kwargs: Any) -> tuple[ArtifactResponse, bool]:
        """`get_or_create`, as a coroutine."""
        return await asyncio.to_thread(lambda: cls._get_or_create(key, description, data, **kwargs))

    @classmethod
    def get_or_create(cls, key: str | None = None, description: str | None = None, data: Any = None,
                      client: Any = None, _sync: bool | None = None, **kwargs: Any) -> Any:
        """(the artifact with `key`, False) if there is one, else (a new one, True)."""
        return dispatch(lambda: cls._get_or_create(key, description, data, **kwargs),
                         lambda: cls.aget_or_create(key, description, data, client, **kwargs), _sync)


class LinkArtifact(Artifact):
    """A link, stored as markdown `[link_text](link)`."""

    link: str
    link_text: Optional[str] = None
    type: Optional[str] = "markdown"

    def _format(self) -> str:
        return _link_markdown(self.link, self.link_text)


class MarkdownArtifact(Artifact):
    """Markdown text, rendered (and sanitised) by the UI."""

    markdown: str
    type: Optional[str] = "markdown"

    def _format(self) -> str:
        return self.markdown


class TableArtifact(Artifact):
    """A table: a list of row dicts, a dict of columns, or a list of row lists. NaN is stored as null."""

    table: Union[dict[str, list[Any]], list[dict[str, Any]], list[list[Any]]]
    type: Optional[str] = "table"

    def _format(self) -> str:
        return json.dumps(_without_nan(self.table))


class ProgressArtifact(Artifact):
    """A progress bar: a percentage, kept within 0 to 100."""

    progress: float
    type: Optional[str] = "progress"

    def _format(self) -> float:
        self.progress = _clamped(self.progress)
        return self.progress


class ImageArtifact(Artifact):
    """An image shown from its URL (the UI shows http(s) and data URLs only)."""

    image_url: str
    type: Optional[str] = "image"

    def _format(self) -> str:
        return self.image_url


# -- the functions ---------------------------------------------------------------------
def _link_markdown(link: str, link_text: str | None) -> str:
    return f"[{link_text}]({link})" if link_text else f"[{link}]({link})"


def _without_nan(item: Any) -> Any:
    if isinstance(item, list):
        return [_without_nan(i) for i in item]
    if isinstance(item, dict):
        return {k: _without_nan(v) for k, v in item.items()}
    if isinstance(item, float) and math.isnan(item):
        return None
    return item


def _clamped(progress: float) -> float:
    if 0.0 <= progress <= 100.0:
        return progress
    logger.warning(f"ProgressArtifact received an invalid value, Progress: {progress}%")
    progress = max(0.0, min(progress, 100.0))
    logger.warning(f"Interpreting as {progress}% progress")
    return progress


def _table_shape_ok(table: Any) -> bool:
    if isinstance(table, dict):
        return all(isinstance(k, str) and isinstance(v, list) for k, v in table.items())
    if isinstance(table, list):
        return all(isinstance(r, dict) for r in table) or all(isinstance(r, list) for r in table)
    return False


def _checked(model: type[Artifact], fast_ok: bool, **fields: Any) -> None:
    """Refuse bad input exactly as Prefect does (pydantic's ValidationError from the
    model); the model is only built when the cheap checks fail."""
    key = fields.get("key")
    if fast_ok and (key is None or is_artifact_key(key)) and isinstance(fields.get("description"), (str, type(None))):
        return
    model(**fields)


def create_markdown_artifact(markdown: str, key: str | None = None, description: str | None = None,
                             _sync: bool | None = None) -> Any:
    """Create a markdown artifact; returns its id (a coroutine of it in async code).

    Args:
        markdown: the text; the UI renders it sanitised (no HTML or script from it runs).
        key: lowercase letters, numbers and dashes; needed to show on the Artifacts page.
        description: markdown shown with it.

    Raises:
        ValidationError: (a `ValueError`) the key or an argument is not valid.
    """
    return dispatch(lambda: _markdown(markdown, key, description),
                     lambda: acreate_markdown_artifact(markdown, key, description), _sync)


def _markdown(markdown: str, key: str | None, description: str | None) -> UUID:
    _checked(MarkdownArtifact, isinstance(markdown, str), markdown=markdown, key=key, description=description)
    return _create_id("markdown", key, description, markdown)


async def acreate_markdown_artifact(markdown: str, key: str | None = None, description: str | None = None) -> UUID:
    """`create_markdown_artifact`, as a coroutine."""
    return await _async(_markdown, markdown, key, description)


def create_table_artifact(table: dict[str, list[Any]] | list[dict[str, Any]] | list[list[Any]],
                          key: str | None = None, description: str | None = None, _sync: bool | None = None) -> Any:
    """Create a table artifact from a list of row dicts, a dict of columns or a list of
    row lists; returns its id (a coroutine of it in async code). NaN becomes null."""
    return dispatch(lambda: _table(table, key, description),
                     lambda: acreate_table_artifact(table, key, description), _sync)


def _table(table: Any, key: str | None, description: str | None) -> UUID:
    _checked(TableArtifact, _table_shape_ok(table), table=table, key=key, description=description)
    return _create_id("table", key, description, json.dumps(_without_nan(table)))


async def acreate_table_artifact(table: dict[str, list[Any]] | list[dict[str, Any]] | list[list[Any]],
                                 key: str | None = None, description: str | None = None) -> UUID:
    """`create_table_artifact`, as a coroutine."""
    return await _async(_table, table, key, description)


def create_link_artifact(link: str, link_text: str | None = None, key: str | None = None,
                         description: str | None = None, client: Any = None, _sync: bool | None = None) -> Any:
    """Create a link artifact (stored as markdown `[link_text](link)`); returns its id."""
    return dispatch(lambda: _link(link, link_text, key, description),
                     lambda: acreate_link_artifact(link, link_text, key, description), _sync)


def _link(link: str, link_text: str | None, key: str | None, description: str | None) -> UUID:
    _checked(LinkArtifact, isinstance(link, str) and isinstance(link_text, (str, type(None))), link=link,
             link_text=link_text, key=key, description=description)
    return _create_id("markdown", key, description, _link_markdown(link, link_text))


async def acreate_link_artifact(link: str, link_text: str | None = None, key: str | None = None,
                                description: str | None = None, client: Any = None) -> UUID:
    """`create_link_artifact`, as a coroutine."""
    return await _async(_link, link, link_text, key, description)


def create_image_artifact(image_url: str, key: str | None = None, description: str | None = None,
                          _sync: bool | None = None) -> Any:
    """Create an image artifact showing the image at `image_url`; returns its id."""
    return dispatch(lambda: _image(image_url, key, description),
                     lambda: acreate_image_artifact(image_url, key, description), _sync)


def _image(image_url: str, key: str | None, description: str | None) -> UUID:
    _checked(ImageArtifact, isinstance(image_url, str), image_url=image_url, key=key, description=description)
    return _create_id("image", key, description, image_url)


async def acreate_image_artifact(image_url: str, key: str | None = None, description: str | None = None) -> UUID:
    """`create_image_artifact`, as a coroutine."""
    return await _async(_image, image_url, key, description)


def _progress_value(progress: Any, **fields: Any) -> float:
    if isinstance(progress, (int, float)) and not isinstance(progress, bool):
        _checked(ProgressArtifact, True, progress=progress, **fields)
        return _clamped(float(progress))
    return float(ProgressArtifact(progress=progress, **fields).format())


def create_progress_artifact(progress: float, key: str | None = None, description: str | None = None,
                             _sync: bool | None = None) -> Any:
    """Create a progress artifact (a percentage, kept within 0 to 100); returns its id.
    Move it on with `update_progress_artifact(id, progress)`."""
    return dispatch(lambda: _progress(progress, key, description),
                     lambda: acreate_progress_artifact(progress, key, description), _sync)


def _progress(progress: float, key: str | None, description: str | None) -> UUID:
    value = _progress_value(progress, key=key, description=description)
    return _create_id("progress", key, description, value)


async def acreate_progress_artifact(progress: float, key: str | None = None,
                                    description: str | None = None) -> UUID:
    """`create_progress_artifact`, as a coroutine."""
    return await _async(_progress, progress, key, description)


def update_progress_artifact(artifact_id: UUID, progress: float, description: str | None = None,
                             client: Any = None, _sync: bool | None = None) -> Any:
    """Set a progress artifact's value (and description, if given); returns `artifact_id`.

    Inside a run the change goes with the run's history, in order after the artifact's
    creation; outside, through the client (`ObjectNotFound` for an unknown id).
    """
    return dispatch(lambda: _update_progress(artifact_id, progress, description),
                     lambda: aupdate_progress_artifact(artifact_id, progress, description), _sync)


def _update_progress(artifact_id: UUID, progress: float, description: str | None) -> UUID:
    value = _progress_value(progress, description=description)
    task_run, flow_run = _current_runs()
    run = task_run or flow_run
    if run is not None:
        from headwater.core import clock
        from headwater.orchestrator.records import ArtifactUpdated

        run.orchestrator.emit(ArtifactUpdated(str(artifact_id), value, description or None, clock.now()))
        return artifact_id
    from headwater.client.schemas.actions import ArtifactUpdate

    update = ArtifactUpdate(data=value, description=description) if description else ArtifactUpdate(data=value)
    kept_client().update_artifact(artifact_id, update)
    return artifact_id


async def aupdate_progress_artifact(artifact_id: UUID, progress: float, description: str | None = None,
                                    client: Any = None) -> UUID:
    """`update_progress_artifact`, as a coroutine."""
    return await _async(_update_progress, artifact_id, progress, description)


async def _async(function: Callable[..., _T], *args: Any) -> _T:
    # In a run, creating is a queue append: no thread needed. Outside, the client's
    # call is blocking I/O, run in a worker thread.
    task_run, flow_run = _current_runs()
    if task_run is not None or flow_run is not None:
        return function(*args)
    return await asyncio.to_thread(function, *args)
