"""How a command reaches the control plane: the client's transport, for one command.

`open_control()` yields the transport of `headwater.client` (the server's API when
`HEADWATER_API_URL` is set, the database in-process otherwise); every command calls
its operations, so each works the same either way. `open_history()` adds the paged
reads the history commands print from. `open_database()` is for the commands that
administer a database itself (`headwater database ...`), which no server does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.core.schemas import FlowRunInfo, LogInfo, StateInfo, TaskRunInfo
    from headwater.store import Store

__all__ = ["RunHistory", "open_control", "open_database", "open_history"]

_PAGE = 1000


@contextlib.contextmanager
def open_control() -> Iterator[Transport]:
    """The control plane for one command, closed when it is done.

    Raises:
        ConfigurationError: the settings are invalid.
        StoreError: the database cannot be opened, or the server cannot be reached.
    """
    from headwater.client.transport import open_transport
    from headwater.core.settings import get_settings

    control = open_transport(get_settings())
    try:
        yield control
    finally:
        control.close()


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
        runs: list[FlowRunInfo] = []
        while len(runs) < limit:
            size = min(_PAGE, limit - len(runs))
            request = FlowRunFilterRequest.model_validate({**spec, "limit": size, "offset": offset + len(runs)})
            page = self.control.filter_flow_runs(request)
            runs.extend(page)
            if len(page) < size:
                break
        return runs

    def read_flow_run(self, ref: str) -> FlowRunInfo:
        """A flow run by id, unique id prefix or name (newest wins)."""
        return self.control.lookup_flow_run(ref)

    def read_task_runs(self, flow_run_id: str) -> list[TaskRunInfo]:
        """Every task run of a flow run, oldest first."""
        from headwater.core.api_schemas import TaskRunFilterRequest

        runs: list[TaskRunInfo] = []
        while True:
            request = TaskRunFilterRequest.model_validate({
                "task_runs": {"flow_run_id": {"any_": [flow_run_id]}}, "sort": "CREATED_ASC", "limit": _PAGE,
                "offset": len(runs)})
            page = self.control.filter_task_runs(request)
            runs.extend(page)
            if len(page) < _PAGE:
                return runs

    def read_states(self, flow_run_id: str) -> list[StateInfo]:
        """The states a flow run went through, oldest first."""
        return self.control.read_flow_run_states(flow_run_id)

    def read_logs(self, *, flow_run_id: str | None = None, task_run_id: str | None = None, min_level: int = 0,
                  limit: int | None = None, offset: int = 0, newest_first: bool = False) -> list[LogInfo]:
        """Log lines of a flow run (or task run) at `min_level` or above, oldest (or newest) first."""
        from headwater.core.api_schemas import LogFilterRequest

        spec: dict[str, object] = {"level": {"ge_": min_level}}
        if flow_run_id is not None:
            spec["flow_run_id"] = {"any_": [flow_run_id]}
        if task_run_id is not None:
            spec["task_run_id"] = {"any_": [task_run_id]}
        lines: list[LogInfo] = []
        while limit is None or len(lines) < limit:
            size = _PAGE if limit is None else min(_PAGE, limit - len(lines))
            request = LogFilterRequest.model_validate({
                "logs": spec, "limit": size, "offset": offset + len(lines),
                "sort": "TIMESTAMP_DESC" if newest_first else "TIMESTAMP_ASC"})
            page = self.control.filter_logs(request)
            lines.extend(page)
            if len(page) < size:
                break
        return lines


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
