"""How a command reaches the control plane: the client's transport, for one command.

`open_control()` yields the transport of `headwater.client` (the server's API when
`HEADWATER_API_URL` is set, the database in-process otherwise); every command calls
its operations, so each works the same either way. `open_history()` adds the paged
reads the history commands print from. `open_database()` is for the commands that
administer a database itself (`headwater database ...`), which no server does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.core.schemas import FlowRunInfo, LogInfo, StateInfo, TaskRunInfo
    from headwater.store import Store

__all__ = ["RunHistory", "open_control", "open_database", "open_history", "read_pages"]

_PAGE = 1000
T = TypeVar("T")


def open_control() -> Transport:
    """The control plane for one command; use it as `with open_control() as control:`,
    which closes it (the transports are context managers).

    Raises:
        ConfigurationError: the settings are invalid.
        StoreError: the database cannot be opened, or the server cannot be reached.
    """
    from headwater.client.transport import open_transport
    from headwater.core.settings import get_settings

    return open_transport(get_settings())


def read_pages(read_page: Callable[[int, int], Sequence[T]], *, limit: int | None = None,
               offset: int = 0) -> Iterator[T]:
    """The rows of a paged read, page after page, until `limit` rows or a short page.

    Args:
        read_page: called with (page size, offset); returns at most that many rows.
        limit: rows at most (None: all of them).
        offset: rows to skip first.
    """
    done = 0
    while limit is None or done < limit:
        size = _PAGE if limit is None else min(_PAGE, limit - done)
        page = read_page(size, offset + done)
        yield from page
        done += len(page)
        if len(page) < size:
            return


class RunHistory:
    """The reads of run history the CLI prints, paged over the control plane."""

    def __init__(self, control: Transport) -> None:
        self.control = control
        self.url = control.url

    def list_flow_runs(self, *, state_types: Sequence[str] | None = None, state_names: Sequence[str] | None = None,
                       flow_names: Sequence[str] | None = None, limit: int = 50, offset: int = 0,
                       newest_first: bool = True) -> list[FlowRunInfo]:
        """Flow runs, newest (or oldest) created first, optionally of some state types, state names or flows."""
        from headwater.core.api_schemas import FlowRunFilterRequest

        spec: dict[str, object] = {"sort": "CREATED_DESC" if newest_first else "CREATED_ASC"}
        state: dict[str, object] = {}
        if state_types is not None:
            state["type"] = {"any_": [str(getattr(t, "value", t)).upper() for t in state_types]}
        if state_names is not None:
            state["name"] = {"any_": list(state_names)}
        if state:
            spec["flow_runs"] = {"state": state}
        if flow_names is not None:
            spec["flows"] = {"name": {"any_": list(flow_names)}}

        def read_page(size: int, at: int) -> list[FlowRunInfo]:
            request = FlowRunFilterRequest.model_validate({**spec, "limit": size, "offset": at})
            return self.control.filter_flow_runs(request)

        return list(read_pages(read_page, limit=limit, offset=offset))

    def read_flow_run(self, ref: str) -> FlowRunInfo:
        """A flow run by id, unique id prefix or name (newest wins)."""
        return self.control.lookup_flow_run(ref)

    def read_task_runs(self, flow_run_id: str) -> list[TaskRunInfo]:
        """Every task run of a flow run, oldest first."""
        from headwater.core.api_schemas import TaskRunFilterRequest

        def read_page(size: int, at: int) -> list[TaskRunInfo]:
            return self.control.filter_task_runs(TaskRunFilterRequest.model_validate({
                "task_runs": {"flow_run_id": {"any_": [flow_run_id]}}, "sort": "CREATED_ASC", "limit": size,
                "offset": at}))

        return list(read_pages(read_page))

    def read_states(self, flow_run_id: str) -> list[StateInfo]:
        """The states a flow run went through, oldest first."""
        return self.control.read_flow_run_states(flow_run_id)

    def iter_logs(self, *, flow_run_id: str | None = None, task_run_id: str | None = None, min_level: int = 0,
                  limit: int | None = None, offset: int = 0, newest_first: bool = False) -> Iterator[LogInfo]:
        """Log lines of a flow run (or task run) at `min_level` or above, oldest (or newest) first.

        Read a page at a time, so a run with millions of lines prints without holding them all.
        """
        from headwater.core.api_schemas import LogFilterRequest

        spec: dict[str, object] = {"level": {"ge_": min_level}}
        if flow_run_id is not None:
            spec["flow_run_id"] = {"any_": [flow_run_id]}
        if task_run_id is not None:
            spec["task_run_id"] = {"any_": [task_run_id]}

        def read_page(size: int, at: int) -> list[LogInfo]:
            return self.control.filter_logs(LogFilterRequest.model_validate({
                "logs": spec, "limit": size, "offset": at,
                "sort": "TIMESTAMP_DESC" if newest_first else "TIMESTAMP_ASC"}))

        return read_pages(read_page, limit=limit, offset=offset)

    def read_logs(self, *, flow_run_id: str | None = None, task_run_id: str | None = None, min_level: int = 0,
                  limit: int | None = None, offset: int = 0, newest_first: bool = False) -> list[LogInfo]:
        """`iter_logs` as a list."""
        return list(self.iter_logs(flow_run_id=flow_run_id, task_run_id=task_run_id, min_level=min_level,
                                   limit=limit, offset=offset, newest_first=newest_first))


@contextlib.contextmanager
def open_history() -> Iterator[RunHistory]:
    """The run history for one command (see `RunHistory`)."""
    with open_control() as control:
        yield RunHistory(control)


@contextlib.contextmanager
def open_database() -> Iterator[Store]:
    """The database itself, for administering it; refused when `HEADWATER_API_URL` is set.

    Raises:
        ConfigurationError: a server is configured, or the settings are invalid.
        StoreError: the database cannot be opened.
    """
    # Imported here: the store pulls in SQLAlchemy, which `headwater --help` never needs.
    from headwater.core.settings import get_settings
    from headwater.exceptions import ConfigurationError
    from headwater.store import open_store

    settings = get_settings()
    if settings.api_url:
        raise ConfigurationError(
            f"HEADWATER_API_URL is set ({settings.api_url}): this command works on a database directly. Unset "
            "HEADWATER_API_URL and point HEADWATER_DATABASE_URL / HEADWATER_HOME at the server's database.")
    store = open_store(settings)
    try:
        yield store
    finally:
        store.close()
