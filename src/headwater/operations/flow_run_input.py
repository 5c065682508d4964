"""`FlowRunInputOperations`: flow run input, pausing and resuming (`Operations` inherits it).

The rules beyond one query live here, once, for the server's routes and the in-process
transport alike: an input's value must be JSON; a Paused state proposed through
`set_flow_run_state` follows the pause rules (`store/flow_run_input.py`); a resume of a
run that waits for input checks the input against the JSON schema the run stored, and
refuses it with the field errors, leaving the run paused.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.core.api_schemas import OrchestrationResult, StateCreate
    from headwater.core.flow_run_input_schemas import (
        FlowRunInputCreate,
        FlowRunInputFilter,
        FlowRunInputInfo,
        ResumeRequest,
    )
    from headwater.core.schemas import StateInfo  # noqa: F401  (check_input's argument)
    from headwater.store import Store
    from headwater.store.flow_run_input import PauseOutcome

__all__ = ["FlowRunInputOperations"]


def _result(outcome: PauseOutcome, **details: Any) -> OrchestrationResult:
    from headwater.core.api_schemas import OrchestrationResult

    extra: dict[str, Any] = {"reason": outcome.reason} if outcome.reason else {}
    extra.update(details)
    return OrchestrationResult(status=outcome.status, state=outcome.state, details=extra)


class FlowRunInputOperations:
    """Create, read, filter and delete flow run input; pause and resume flow runs."""

    if TYPE_CHECKING:
        store: Store

    def create_flow_run_input(self, flow_run_id: str, body: FlowRunInputCreate) -> FlowRunInputInfo:
        """Store an input of a flow run.

        Raises:
            ObjectNotFound: no flow run has this id.
            ObjectAlreadyExists: the run has an input with this key.
            ParameterValidationError: the value is not JSON text.
        """
        from headwater.exceptions import ParameterValidationError

        try:
            json.loads(body.value)
        except ValueError:
            raise ParameterValidationError(f"value: the input {body.key!r} is not JSON text") from None
        return self.store.flow_run_input.create(flow_run_id, body.key, body.value, body.sender)

    def read_flow_run_input(self, flow_run_id: str, key: str) -> FlowRunInputInfo:
        """One input of a flow run. Raises `ObjectNotFound`."""
        return self.store.flow_run_input.read(flow_run_id, key)

    def filter_flow_run_input(self, flow_run_id: str, body: FlowRunInputFilter) -> list[FlowRunInputInfo]:
        """The oldest inputs of a run whose key starts with `body.prefix`."""
        return self.store.flow_run_input.filter(flow_run_id, body.prefix, limit=body.limit,
                                                exclude_keys=list(body.exclude_keys))

    def delete_flow_run_input(self, flow_run_id: str, key: str) -> None:
        """Delete one input of a flow run. Raises `ObjectNotFound`."""
        self.store.flow_run_input.delete(flow_run_id, key)

    def pause_flow_run(self, flow_run_id: str, state: StateCreate) -> OrchestrationResult:
        """Propose a Paused (or Suspended) state: ACCEPT, REJECT (not running, or this
        pause fired already) or ABORT (a suspend without a deployment, or of a subflow).

        Raises:
            ObjectNotFound: no flow run has this id.
        """
        from headwater.core.flow_run_input_schemas import pause_details_of

        from pydantic import ValidationError

        from headwater.exceptions import ParameterValidationError

        details = dict(state.details or {})
        try:
            pause = pause_details_of(details)
        except ValidationError as exc:
            raise ParameterValidationError(f"state.details: not a pause Prefect describes: {exc}"[:500]) from None
        if pause.pause_timeout is not None:
            details["pause_timeout"] = pause.pause_timeout.isoformat()
        return _result(self.store.flow_run_input.pause(flow_run_id, state.name or "Paused", state.message, details))

    def resume_flow_run(self, flow_run_id: str, body: ResumeRequest) -> OrchestrationResult:
        """Resume a paused run, with the input it waits for.

        ABORT when the run is not paused; REJECT, the run staying paused, when the
        input does not satisfy the run's schema (`details.errors` lists each problem,
        `details.field_errors` maps each field to its first) or the schema is missing; REJECT with a Failed state when the pause
        had timed out.

        Raises:
            ObjectNotFound: no flow run has this id.
        """
        from headwater.core.flow_run_input_schemas import pause_details_of, run_input_problems
        from headwater.store.flow_run_input import PauseOutcome

        run_input = body.run_input
        problems: list[str] = []
        fields: dict[str, str] = {}  # field -> its first problem ("" for the input as a whole)

        def check_input(state: StateInfo, schema_json: str | None) -> PauseOutcome | str | None:
            if not pause_details_of(state.details).run_input_keyset:
                return None
            given = run_input or {}
            if schema_json is None:
                return PauseOutcome("REJECT", state, "Run input schema not found.")
            try:
                schema = json.loads(schema_json)
            except ValueError:
                return PauseOutcome("REJECT", state, "Run input schema is not valid JSON.")
            found = run_input_problems(schema, given) if isinstance(schema, dict) else []
            if found:
                problems.extend(f"run_input.{field}: {message}" if field else f"run_input: {message}"
                                for field, message in found)
                fields.update({field: message for field, message in reversed(found)})
                return PauseOutcome("REJECT", state, "Reason: " + "; ".join(problems))
            return json.dumps(given) if given else None

        outcome = self.store.flow_run_input.resume(flow_run_id, check_input)
        return _result(outcome, errors=problems, field_errors=fields) if problems else _result(outcome)
