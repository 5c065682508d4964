"""Trigger windows across restarts of the trigger service, on a real SQLite file and
PostgreSQL: a threshold counts on over a restart, a proactive period that ended while
the service was down fires once when it starts, and a further restart fires nothing
again. Each "restart" is a new `Automations` service over a newly opened store, as a
new server process has."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import wait_until

from headwater.blocks.webhook import Webhook
from headwater.client.orchestration import SyncPrefectClient
from headwater.core import clock
from headwater.core.automation_schemas import AutomationCore
from headwater.core.event_schemas import Event
from headwater.core.settings import Settings, load_settings
from headwater.events import CallWebhook, EventTrigger, SequenceTrigger
from headwater.server.services.automations import CLOCK, Automations
from headwater.store import Store, open_store

from .receiver import Receiver


@pytest.fixture
def settings(store_url: str, tmp_path: Path) -> Settings:
    return load_settings(home=str(tmp_path / "home"), database_url=store_url)


class Server:
    """The trigger service over its own store, started and stopped like a server's."""

    def __init__(self, settings: Settings) -> None:
        self.stopped = False
        self.store: Store = open_store(settings)
        self.service = Automations(self.store, settings, interval=0.05)
        started = clock.now()
        self.service.start()
        # The first pass (any replay included) has run once the clock is saved after it.
        wait_until(lambda: (self.store.automations.read_cursor(CLOCK) or (0.0, 0))[0] >= started, 30,
                   "the service's first pass")

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.service.stop()
            self.store.close()


@pytest.fixture
def servers(settings: Settings) -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def _automation(settings: Settings, name: str, url: str, trigger: EventTrigger | SequenceTrigger
                ) -> tuple[str, float]:
    with SyncPrefectClient(settings) as client:
        hook = Webhook(url=url)
        hook.save(name, client=client)
        automation_id = client.create_automation(AutomationCore(
            name=name, trigger=trigger,
            actions=[CallWebhook(block_document_id=hook._block_document_id, payload="{{ automation.name }}")]))
    store = open_store(settings)
    try:
        updated = store.automations.read(str(automation_id)).updated
    finally:
        store.close()
    assert updated is not None
    return str(automation_id), updated.timestamp()


def _emit(store: Store, name: str) -> None:
    store.events.write([Event(event=name, resource={"prefect.resource.id": "thing.1"})])


def _read_to(store: Store) -> float:
    return (store.automations.read_cursor("triggers") or (0.0, 0))[0]


def _evaluated(store: Store) -> float:
    return (store.automations.read_cursor(CLOCK) or (0.0, 0))[0]


def test_a_threshold_and_a_sequence_count_on_across_a_restart(settings: Settings, servers: list[Server]) -> None:
    with Receiver() as receiver:
        automation_id, _ = _automation(settings, "three", f"{receiver.url}/three",
                                       EventTrigger(expect={"thing.happened"}, threshold=3, within=60))
        sequence_id, _ = _automation(settings, "sequence", f"{receiver.url}/sequence", SequenceTrigger(
            triggers=[EventTrigger(expect={"thing.started"}), EventTrigger(expect={"thing.finished"})], within=60))
        first = Server(settings)
        servers.append(first)
        _emit(first.store, "thing.happened")
        _emit(first.store, "thing.started")
        _emit(first.store, "thing.happened")
        emitted = clock.now()
        wait_until(lambda: _read_to(first.store) >= emitted - 1, 30, "the first server to read two events")
        # Another event, later than the look-back of a restart (5 s): the two are read again
        # only by the replay of the window.
        time.sleep(max(0.0, emitted + 6 - clock.now()))
        _emit(first.store, "thing.other")
        later = clock.now()
        wait_until(lambda: _read_to(first.store) >= later - 1 and _evaluated(first.store) > later, 30,
                   "the first server to read on")
        first.stop()
        assert receiver.calls == []

        second = Server(settings)
        servers.append(second)
        assert receiver.calls == []  # the replay of the two fires nothing
        _emit(second.store, "thing.happened")
        _emit(second.store, "thing.finished")
        receiver.wait_for_calls(2, 30)
        for made in (automation_id, sequence_id):
            wait_until(lambda: [a.status for a in second.store.automations.list_actions(made)] == ["succeeded"],
                       30, "the actions to finish")
        second.stop()

        third = Server(settings)
        servers.append(third)
        after_start = clock.now()
        wait_until(lambda: _evaluated(third.store) > after_start + 1, 30, "the third server to run on")
        assert sorted(path for _, path, _ in receiver.calls) == ["/sequence", "/three"]
        assert len(third.store.automations.list_actions(automation_id)) == 1
        assert len(third.store.automations.list_actions(sequence_id)) == 1
        third.stop()


def test_a_proactive_period_ending_while_down_fires_once_after_start(settings: Settings,
                                                                      servers: list[Server]) -> None:
    within = 15.0
    with Receiver() as receiver:
        automation_id, anchor = _automation(
            settings, "quiet", f"{receiver.url}/quiet",
            EventTrigger(posture="Proactive", expect={"thing.heartbeat"}, threshold=1, within=within))
        first = Server(settings)
        servers.append(first)
        first.stop()
        assert clock.now() < anchor + within, "the first server outlived the period: the machine is too slow"
        time.sleep(max(0.0, anchor + within + 0.5 - clock.now()))  # the period ends while no server runs

        second = Server(settings)
        servers.append(second)
        started = clock.now()
        # Without the replay the new server's period would end `within` after it started.
        receiver.wait_for_calls(1, within - 3)
        assert clock.now() < started + within - 3
        wait_until(lambda: [a.status for a in second.store.automations.list_actions(automation_id)] == ["succeeded"],
                   30, "the action to finish")
        second.stop()

        third = Server(settings)
        servers.append(third)
        after_start = clock.now()
        wait_until(lambda: _evaluated(third.store) > after_start + 1, 30, "the third server to run on")
        assert clock.now() < anchor + 2 * within, "the next period ended: the machine is too slow"
        assert len(receiver.calls) == 1
        assert [a.event_id for a in third.store.automations.list_actions(automation_id)] == [
            f"proactive::{anchor + within:.3f}"]
        third.stop()
