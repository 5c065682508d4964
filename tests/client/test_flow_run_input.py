"""Flow run input, pausing and resuming through the client, on every transport
(embedded SQLite, PostgreSQL, a real server): Prefect's rules and replies."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from headwater.client.orchestration import SyncPrefectClient
from headwater.core.states import State, StateType
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound
from headwater.input.run_input import keyset_from_base_key
from headwater.states import Running

SCHEMA = {"title": "Approval", "type": "object", "additionalProperties": False,
          "properties": {"approved": {"type": "boolean"}, "reviewer": {"type": "string", "default": "nobody"}},
          "required": ["approved"]}


def running_run(client: SyncPrefectClient, flow_name: str) -> Any:
    return client.create_flow_run(flow_name, state=Running())


def paused(key: str = "1", *, name: str = "Paused", keyset: dict[str, str] | None = None,
           timeout: timedelta | None = timedelta(minutes=5), reschedule: bool = False) -> State[Any]:
    details: dict[str, Any] = {"pause_key": key, "pause_reschedule": reschedule}
    if timeout is not None:
        details["pause_timeout"] = (datetime.now(timezone.utc) + timeout).isoformat()
    if keyset is not None:
        details["run_input_keyset"] = keyset
    return State(StateType.PAUSED, name, details=details)


def test_inputs_are_stored_filtered_read_and_deleted(client: SyncPrefectClient, flow_name: str) -> None:
    run = running_run(client, flow_name)
    client.create_flow_run_input(run.id, "greeting-auto-1", json.dumps({"text": "hi"}), sender="someone")
    client.create_flow_run_input(run.id, "greeting-auto-2", json.dumps({"text": "ho"}))
    client.create_flow_run_input(run.id, "other-1", "3")
    assert json.loads(client.read_flow_run_input(run.id, "other-1")) == 3
    first = client.filter_flow_run_input(run.id, "greeting-auto", limit=1, exclude_keys=set())
    assert [(i.key, i.decoded_value, i.sender) for i in first] == [("greeting-auto-1", {"text": "hi"}, "someone")]
    rest = client.filter_flow_run_input(run.id, "greeting-auto", limit=5, exclude_keys={"greeting-auto-1"})
    assert [i.key for i in rest] == ["greeting-auto-2"]
    with pytest.raises(ObjectAlreadyExists):
        client.create_flow_run_input(run.id, "other-1", "4")
    client.delete_flow_run_input(run.id, "other-1")
    with pytest.raises(ObjectNotFound):
        client.read_flow_run_input(run.id, "other-1")
    with pytest.raises(ObjectNotFound):
        client.delete_flow_run_input(run.id, "other-1")
    with pytest.raises(ValueError, match="letters, digits and dashes"):
        client.create_flow_run_input(run.id, "no spaces", "1")


def test_input_of_a_missing_run_is_not_found(client: SyncPrefectClient) -> None:
    with pytest.raises(ObjectNotFound):
        client.create_flow_run_input("0190d6c4-0000-7000-8000-000000000000", "k", "1")


def test_pause_follows_prefects_rules(client: SyncPrefectClient, flow_name: str) -> None:
    run = running_run(client, flow_name)
    accepted = client.set_flow_run_state(run.id, paused("1"))
    assert accepted.status.value == "ACCEPT"
    assert accepted.state.name == "Paused" and accepted.state.state_details.pause_key == "1"
    assert accepted.state.state_details.pause_timeout is not None
    again = client.set_flow_run_state(run.id, paused("2"))
    assert again.status.value == "REJECT"
    assert again.details["reason"] == "Cannot pause flows that are not currently running."
    assert client.resume_flow_run(run.id).status.value == "ACCEPT"
    assert client.read_flow_run(run.id).state.is_running()
    fired = client.set_flow_run_state(run.id, paused("1"))  # the same pause, when the flow runs it again
    assert fired.status.value == "REJECT" and fired.details["reason"] == "This pause has already fired."
    assert fired.state.is_running()
    suspended = client.set_flow_run_state(run.id, paused("3", name="Suspended", reschedule=True))
    assert suspended.status.value == "ABORT"
    assert suspended.details["reason"] == "Cannot suspend flows without a deployment."


def test_prefects_paused_constructor_describes_the_pause(client: SyncPrefectClient, flow_name: str) -> None:
    from headwater.states import Paused, Suspended

    run = running_run(client, flow_name)
    result = client.set_flow_run_state(run.id, Paused(timeout_seconds=60, pause_key="approval"))
    assert result.status.value == "ACCEPT"
    details = client.read_flow_run(run.id).state.state_details
    assert details.pause_key == "approval" and not details.pause_reschedule
    assert details.pause_timeout is not None and details.pause_timeout > datetime.now(timezone.utc)
    assert (Suspended().name, Suspended().details) == ("Suspended", {"pause_reschedule": True})
    with pytest.raises(ValueError, match="Cannot supply both"):
        Paused(timeout_seconds=1, pause_expiration_time=datetime.now(timezone.utc))


def test_resume_checks_input_against_the_schema(client: SyncPrefectClient, flow_name: str) -> None:
    run = running_run(client, flow_name)
    keyset = keyset_from_base_key("paused-1")
    assert client.set_flow_run_state(run.id, paused("1", keyset=keyset)).status.value == "ACCEPT"
    missing = client.resume_flow_run(run.id, run_input={"approved": True})
    assert missing.status.value == "REJECT" and missing.details["reason"] == "Run input schema not found."
    client.create_flow_run_input(run.id, keyset["schema"], json.dumps(SCHEMA))

    refused = client.resume_flow_run(run.id, run_input={"approved": "perhaps", "colour": "red"})
    assert refused.status.value == "REJECT"
    errors = refused.details["errors"]
    assert any(e.startswith("run_input.approved:") for e in errors), errors
    assert any("colour" in e for e in errors), errors
    assert client.read_flow_run(run.id).state.is_paused()
    with pytest.raises(ObjectNotFound):
        client.read_flow_run_input(run.id, keyset["response"])

    assert client.resume_flow_run(run.id, run_input={}).status.value == "REJECT"  # `approved` is required
    accepted = client.resume_flow_run(run.id, run_input={"approved": True})
    assert accepted.status.value == "ACCEPT" and accepted.state.is_running()
    assert json.loads(client.read_flow_run_input(run.id, keyset["response"])) == {"approved": True}


def test_resume_of_a_run_that_is_not_paused_aborts(client: SyncPrefectClient, flow_name: str) -> None:
    run = running_run(client, flow_name)
    result = client.resume_flow_run(run.id)
    assert result.status.value == "ABORT"
    assert result.details["reason"] == "Cannot resume a flow run that is not paused."


def test_an_expired_pause_fails_the_run_on_resume(client: SyncPrefectClient, flow_name: str) -> None:
    run = running_run(client, flow_name)
    assert client.set_flow_run_state(run.id, paused("1", timeout=timedelta(seconds=-1))).status.value == "ACCEPT"
    result = client.resume_flow_run(run.id)
    assert result.status.value == "REJECT" and result.state.type is StateType.FAILED
    assert result.state.message == "The flow was running and never resumed."
    assert client.read_flow_run(run.id).state.is_failed()
