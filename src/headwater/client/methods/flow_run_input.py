"""`FlowRunInputMethods`: Prefect's client methods for flow run input and resuming.

`resume_flow_run`, `create_flow_run_input`, `filter_flow_run_input`,
`read_flow_run_input` and `delete_flow_run_input` with Prefect's arguments and results,
over the transport; the async client gets them as coroutines. Pausing is
`set_flow_run_state` with a Paused state (flow_runs.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.client.methods.base import ClientBase

if TYPE_CHECKING:
    from headwater.client.schemas.objects import FlowRunInput
    from headwater.client.schemas.responses import OrchestrationResult
    from headwater.core.flow_run_input_schemas import FlowRunInputInfo

__all__ = ["FlowRunInputMethods", "to_flow_run_input"]


def to_flow_run_input(info: FlowRunInputInfo) -> FlowRunInput:
    """The operations' `FlowRunInputInfo` as Prefect's `FlowRunInput`."""
    from headwater.client.schemas.objects import FlowRunInput

    return FlowRunInput(id=UUID(info.id), created=info.created, updated=info.updated,
                        flow_run_id=UUID(info.flow_run_id), key=info.key, value=info.value, sender=info.sender)


class FlowRunInputMethods(ClientBase):
    """The flow run input methods of the client (see the module docstring)."""

    def resume_flow_run(self, flow_run_id: UUID | str, run_input: dict[str, Any] | None = None) -> OrchestrationResult:
        """Resume a paused flow run, with the input it waits for.

        Returns Prefect's `OrchestrationResult`: ACCEPT; REJECT with `details.reason`
        (and `details.errors`, one line per bad field) when the input is invalid, the
        run staying paused, or with a Failed state when its pause had timed out; ABORT
        when the run is not paused.

        Raises:
            ObjectNotFound: no flow run has this id.
        """
        from headwater.client import convert as c
        from headwater.client.schemas.responses import OrchestrationResult, SetStateStatus
        from headwater.core.flow_run_input_schemas import ResumeRequest

        result = self._ops().resume_flow_run(str(flow_run_id), ResumeRequest(run_input=c.jsonable(run_input)))
        return OrchestrationResult(state=c.to_state(result.state, flow_run_id=str(flow_run_id)),
                                   status=SetStateStatus(result.status), details=result.details)

    def create_flow_run_input(self, flow_run_id: UUID | str, key: str, value: str, sender: str | None = None) -> None:
        """Store `value` (JSON text) as the run's input `key`.

        Raises:
            ObjectNotFound: no flow run has this id.
            ObjectAlreadyExists: the run has an input with this key.
            ValueError: the key holds something other than letters, digits and dashes.
        """
        from headwater.core.flow_run_input_schemas import FlowRunInputCreate, check_input_key

        check_input_key(key)
        self._ops().create_flow_run_input(str(flow_run_id), FlowRunInputCreate(key=key, value=value, sender=sender))

    def filter_flow_run_input(self, flow_run_id: UUID | str, key_prefix: str, limit: int,
                              exclude_keys: set[str]) -> list[FlowRunInput]:
        """The run's oldest inputs whose key starts with `key_prefix`, without `exclude_keys`."""
        from headwater.core.flow_run_input_schemas import FlowRunInputFilter

        body = FlowRunInputFilter(prefix=key_prefix, limit=limit, exclude_keys=sorted(exclude_keys))
        return [to_flow_run_input(i) for i in self._ops().filter_flow_run_input(str(flow_run_id), body)]

    def read_flow_run_input(self, flow_run_id: UUID | str, key: str) -> str:
        """The JSON text of the run's input `key`. Raises `ObjectNotFound`."""
        return self._ops().read_flow_run_input(str(flow_run_id), key).value

    def delete_flow_run_input(self, flow_run_id: UUID | str, key: str) -> None:
        """Delete the run's input `key`. Raises `ObjectNotFound`."""
        self._ops().delete_flow_run_input(str(flow_run_id), key)
