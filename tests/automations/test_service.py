"""The trigger service in process, on SQLite and PostgreSQL: two servers on one
database act once; a webhook whose receiver answers errors is retried with backoff; one
that is down fails visibly (the action's row and an event); a slow receiver does not
hold up another automation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import wait_until

from headwater.blocks.webhook import Webhook
from headwater.client.orchestration import SyncPrefectClient
from headwater.core.automation_schemas import AutomationCore
from headwater.core.event_schemas import Event, EventFilter, EventNameFilter
from headwater.core.settings import Settings, load_settings
from headwater.events import CallWebhook, EventTrigger
from headwater.operations import Operations
from headwater.server.services.automations import Automations
from headwater.store import Store, open_store

from .receiver import Receiver


@pytest.fixture
def settings(store_url: str, tmp_path: Path) -> Settings:
    return load_settings(home=str(tmp_path / "home"), database_url=store_url)


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    opened = open_store(settings)
    yield opened
    opened.close()


def _webhook_automation(settings: Settings, name: str, url: str, expect: str) -> str:
    with SyncPrefectClient(settings) as client:
        hook = Webhook(url=url)
        hook.save(name, client=client)
        return str(client.create_automation(AutomationCore(
            name=name, trigger=EventTrigger(expect={expect}),
            actions=[CallWebhook(block_document_id=hook._block_document_id, payload="{{ event.event }}")])))


def _service(store: Store, settings: Settings, **options: object) -> Automations:
    service = Automations(store, settings, interval=0.05, **options)  # type: ignore[arg-type]
    service.start()
    return service


def _emit(store: Store, name: str) -> None:
    store.events.write([Event(event=name, resource={"prefect.resource.id": "thing.1"})])


def test_two_servers_on_one_database_act_once(store: Store, settings: Settings) -> None:
    other = open_store(settings)
    with Receiver() as receiver:
        automation_id = _webhook_automation(settings, "once", f"{receiver.url}/once", "thing.happened")
        services = [_service(store, settings), _service(other, settings)]
        try:
            wait_until(lambda: all(s._tail is not None for s in services), 10, "both services to follow events")
            for _ in range(5):
                _emit(store, "thing.happened")
            receiver.wait_for_calls(5, 30)
            wait_until(lambda: all(a.status == "succeeded" for a in store.automations.list_actions(automation_id)),
                       30, "the actions to finish")
        finally:
            for service in services:
                service.stop()
            other.close()
        assert len(receiver.calls) == 5
        assert len(store.automations.list_actions(automation_id)) == 5


def test_a_failing_receiver_is_retried_then_a_down_one_fails_visibly(store: Store, settings: Settings) -> None:
    with Receiver() as receiver:
        receiver.fail_next = 2
        flaky = _webhook_automation(settings, "flaky", f"{receiver.url}/flaky", "flaky.thing")
        down = _webhook_automation(settings, "down", "http://127.0.0.1:9/nothing-listens", "down.thing")
        service = _service(store, settings, retry_delays=(0.05, 0.1, 0.2))
        try:
            wait_until(lambda: service._tail is not None, 10, "the service to follow events")
            _emit(store, "flaky.thing")
            _emit(store, "down.thing")
            receiver.wait_for_calls(1, 30)
            wait_until(lambda: [a.status for a in store.automations.list_actions(flaky)] == ["succeeded"], 30,
                       "the flaky webhook to succeed")
            assert store.automations.list_actions(flaky)[0].attempts == 3
            wait_until(lambda: [a.status for a in store.automations.list_actions(down)] == ["failed"], 30,
                       "the unreachable webhook to fail")
            failed = store.automations.list_actions(down)[0]
            assert failed.attempts == 4 and "ConnectError" in (failed.detail or "")
            # The failure's event is stored after the action's row says failed: wait for it.
            wait_until(lambda: [e.resource.id for e in Operations(store, settings).read_events(
                EventFilter(event=EventNameFilter(name=["prefect.automation.action.failed"]))).events]
                == [f"prefect.automation.{down}"], 30, "the action.failed event")
        finally:
            service.stop()


def test_a_slow_receiver_does_not_hold_up_another_automation(store: Store, settings: Settings) -> None:
    with Receiver() as slow, Receiver() as fast:
        slow.release.clear()
        _webhook_automation(settings, "slow", f"{slow.url}/slow", "busy.thing")
        _webhook_automation(settings, "fast", f"{fast.url}/fast", "busy.thing")
        service = _service(store, settings)
        try:
            wait_until(lambda: service._tail is not None, 10, "the service to follow events")
            _emit(store, "busy.thing")
            fast.wait_for_calls(1, 10)
            assert slow.calls == []  # still held
            slow.release.set()
            slow.wait_for_calls(1, 30)
        finally:
            service.stop()


def test_send_notification_through_an_apprise_block(store: Store, settings: Settings) -> None:
    from headwater.blocks.notifications import AppriseNotificationBlock
    from headwater.events import SendNotification

    with Receiver() as receiver:
        host = receiver.url.removeprefix("http://")
        with SyncPrefectClient(settings) as client:
            block = AppriseNotificationBlock(url=f"json://{host}/notify")
            block.save("ops-channel", client=client)
            client.create_automation(AutomationCore(
                name="notify", trigger=EventTrigger(expect={"order.failed"}),
                actions=[SendNotification(block_document_id=block._block_document_id, subject="order trouble",
                                          body="{{ event.event }} for {{ event.resource.id }}")]))
        service = _service(store, settings)
        try:
            wait_until(lambda: service._tail is not None, 10, "the service to follow events")
            _emit(store, "order.failed")
            calls = receiver.wait_for_calls(1, 30)
        finally:
            service.stop()
        import json

        sent = json.loads(calls[0][2])
        assert calls[0][1] == "/notify"
        assert (sent["title"], sent["message"]) == ("order trouble", "order.failed for thing.1")


def test_a_running_flow_run_is_suspended_then_resumed_by_automations(store: Store, settings: Settings) -> None:
    from headwater.core.api_schemas import StateCreate
    from headwater.core.deployment_schemas import DeploymentCreate, DeploymentRunCreate
    from headwater.core.states import StateType
    from headwater.events.actions import ResumeFlowRun, SuspendFlowRun

    ops = Operations(store, settings)
    for name, expect, action in (("suspend", "prefect.flow-run.Running", SuspendFlowRun()),
                                 ("resume", "prefect.flow-run.Suspended", ResumeFlowRun())):
        ops.create_automation(AutomationCore(name=name, trigger=EventTrigger(expect={expect}), actions=[action]))
    deployment = ops.upsert_deployment(DeploymentCreate(name="d", flow_name="f", entrypoint="f.py:f"))
    run = ops.create_deployment_run(deployment.id, DeploymentRunCreate())
    service = _service(store, settings)
    try:
        wait_until(lambda: service._tail is not None, 10, "the service to follow events")
        ops.set_flow_run_state(run.id, StateCreate(type=StateType.RUNNING))
        wait_until(lambda: [s.name for s in ops.read_flow_run_states(run.id)][-3:] == [
            "Running", "Suspended", "Resuming"], 30, "the run to be suspended, then resumed")
    finally:
        service.stop()
    assert ops.read_flow_run(run.id).state.type == "SCHEDULED"
