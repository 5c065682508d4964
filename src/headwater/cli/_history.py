"""Opening the run history for one command: the local store, or the server's API.

With `HEADWATER_API_URL` set, the read commands ask the server (`ApiHistory`, the
same read methods as `Store`); otherwise they open the database directly.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.core.schemas import FlowRunInfo, LogInfo, StateInfo, TaskRunInfo
    from headwater.core.settings import Settings
    from headwater.orchestrator.http import ApiClient
    from headwater.store import Store

__all__ = ["ApiHistory", "open_history"]

_PAGE = 1000


class ApiHistory:
    """The read methods of `Store` the CLI uses, answered by a headwater server."""

    def __init__(self, settings: Settings) -> None:
        from headwater.orchestrator.http import ApiClient

        self.client: ApiClient = ApiClient(settings)
        self.url = self.client.url

    def close(self) -> None:
        self.client.close()

    def list_flow_runs(self, *, state_types: Sequence[str] | None = None, flow_name: str | None = None,
                       limit: int = 50, offset: int = 0, newest_first: bool = True) -> list[FlowRunInfo]:
        from headwater.core.schemas import FlowRunInfo

        body: dict[str, Any] = {"sort": "CREATED_DESC" if newest_first else "CREATED_ASC", "offset": offset}
        if state_types is not None:
            body["flow_runs"] = {"state": {"type": {"any_": [str(getattr(t, "value", t)).upper()
                                                             for t in state_types]}}}
        if flow_name is not None:
            body["flows"] = {"name": {"any_": [flow_name]}}
        runs: list[FlowRunInfo] = []
        while len(runs) < limit:
            body["limit"] = min(_PAGE, limit - len(runs))
            page = self.client.call("POST", "flow_runs/filter", json_body=body)
            runs.extend(FlowRunInfo.model_validate(run) for run in page)
            if len(page) < body["limit"]:
                break
            body["offset"] = offset + len(runs)
        return runs

    def read_flow_run(self, ref: str) -> FlowRunInfo:
        from headwater.core.schemas import FlowRunInfo

        return FlowRunInfo.model_validate(self.client.call("GET", "flow_runs/lookup", params={"ref": ref}))

    def read_task_runs(self, flow_run_id: str) -> list[TaskRunInfo]:
        from headwater.core.schemas import TaskRunInfo

        runs: list[TaskRunInfo] = []
        while True:
            body = {"task_runs": {"flow_run_id": {"any_": [flow_run_id]}}, "sort": "CREATED_ASC",
                    "limit": _PAGE, "offset": len(runs)}
            page = self.client.call("POST", "task_runs/filter", json_body=body)
            runs.extend(TaskRunInfo.model_validate(run) for run in page)
            if len(page) < _PAGE:
                return runs

    def read_task_run(self, task_run_id: str) -> TaskRunInfo:
        from headwater.core.schemas import TaskRunInfo

        return TaskRunInfo.model_validate(self.client.call("GET", f"task_runs/{task_run_id}"))

    def read_states(self, run_id: str) -> list[StateInfo]:
        from headwater.core.schemas import StateInfo
        from headwater.exceptions import ObjectNotFound

        try:
            states = self.client.call("GET", "flow_run_states/", params={"flow_run_id": run_id})
        except ObjectNotFound:
            states = self.client.call("GET", "task_run_states/", params={"task_run_id": run_id})
        return [StateInfo.model_validate(state) for state in states]

    def read_logs(self, *, flow_run_id: str | None = None, task_run_id: str | None = None, min_level: int = 0,
                  limit: int | None = None, offset: int = 0) -> list[LogInfo]:
        from headwater.core.schemas import LogInfo

        spec: dict[str, Any] = {"level": {"ge_": min_level}}
        if flow_run_id is not None:
            spec["flow_run_id"] = {"any_": [flow_run_id]}
        if task_run_id is not None:
            spec["task_run_id"] = {"any_": [task_run_id]}
        lines: list[LogInfo] = []
        while limit is None or len(lines) < limit:
            size = _PAGE if limit is None else min(_PAGE, limit - len(lines))
            body = {"logs": spec, "limit": size, "offset": offset + len(lines)}
            page = self.client.call("POST", "logs/filter", json_body=body)
            lines.extend(LogInfo.model_validate(line) for line in page)
            if len(page) < size:
                break
        return lines

    def counts(self) -> dict[str, int]:
        raise self._local_only()

    def reset(self) -> None:
        raise self._local_only()

    def _local_only(self) -> Exception:
        from headwater.exceptions import ConfigurationError

        return ConfigurationError(
            f"HEADWATER_API_URL is set ({self.url}): this command works on a database directly. Unset "
            "HEADWATER_API_URL and point HEADWATER_DATABASE_URL / HEADWATER_HOME at the server's database."
        )


@contextlib.contextmanager
def open_history() -> Iterator[Store | ApiHistory]:
    """Open the run history the settings point at, and close it when the command is done:
    the server's API when `HEADWATER_API_URL` is set, the database otherwise.

    Raises:
        ConfigurationError: the settings are invalid.
        StoreError: the database cannot be opened (corrupt, read-only, unreachable),
            or the server cannot be reached.
    """
    # Imported here: the store pulls in SQLAlchemy, which `headwater --help` never needs.
    from headwater.core.settings import get_settings

    settings = get_settings()
    history: Store | ApiHistory
    if settings.api_url:
        history = ApiHistory(settings)
    else:
        from headwater.store import open_store

        history = open_store(settings)
    try:
        yield history
    finally:
        history.close()
