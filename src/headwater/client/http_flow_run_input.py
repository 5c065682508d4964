"""The HTTP transport's requests for flow run input and resuming (`server/api/flow_run_input.py`),
composed into `HttpTransport` (`client/http.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.client.http_resources import RequestBase, dump_body, path_segment

if TYPE_CHECKING:
    from headwater.core.api_schemas import OrchestrationResult
    from headwater.core.flow_run_input_schemas import (
        FlowRunInputCreate,
        FlowRunInputFilter,
        FlowRunInputInfo,
        ResumeRequest,
    )

__all__ = ["FlowRunInputRequests"]


class FlowRunInputRequests(RequestBase):
    """Flow run input and resuming; pausing goes through `set_flow_run_state`."""

    def create_flow_run_input(self, flow_run_id: str, body: FlowRunInputCreate) -> FlowRunInputInfo:
        # A create sent again after a lost reply would answer 409: not repeated.
        self._call("POST", f"flow_runs/{path_segment(flow_run_id)}/input", dump_body(body))
        return self.read_flow_run_input(flow_run_id, body.key)

    def read_flow_run_input(self, flow_run_id: str, key: str) -> FlowRunInputInfo:
        # The route answers the bare value; the filter gives the whole record.
        for found in self.filter_flow_run_input(flow_run_id, _exact(key)):
            if found.key == key:
                return found
        from headwater.exceptions import ObjectNotFound

        raise ObjectNotFound(f"flow run {flow_run_id} has no input with key {key!r}")

    def filter_flow_run_input(self, flow_run_id: str, body: FlowRunInputFilter) -> list[FlowRunInputInfo]:
        from headwater.core.flow_run_input_schemas import FlowRunInputInfo

        reply = self._call("POST", f"flow_runs/{path_segment(flow_run_id)}/input/filter", dump_body(body),
                           idempotent=True)
        return [FlowRunInputInfo.model_validate(item) for item in reply]

    def delete_flow_run_input(self, flow_run_id: str, key: str) -> None:
        self._call("DELETE", f"flow_runs/{path_segment(flow_run_id)}/input/{path_segment(key)}")

    def resume_flow_run(self, flow_run_id: str, body: ResumeRequest) -> OrchestrationResult:
        from headwater.core.api_schemas import OrchestrationResult

        # Not repeated after a lost reply: the run may have been resumed.
        return OrchestrationResult.model_validate(
            self._call("POST", f"flow_runs/{path_segment(flow_run_id)}/resume", dump_body(body), idempotent=False))


def _exact(key: str) -> FlowRunInputFilter:
    """A filter whose answer holds the input `key` (with any longer keys starting with it)."""
    from headwater.core.flow_run_input_schemas import FlowRunInputFilter

    return FlowRunInputFilter(prefix=key, limit=1000)
