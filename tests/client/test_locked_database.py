"""The in-process client over an embedded database whose write lock another process
holds: reads go on, a write waits (bounded by HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS)
and succeeds once the lock is released, or fails naming the file and the holder."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlite_holder import SqliteLockHolder, wait_until_in_begin

from headwater.client.orchestration import SyncPrefectClient
from headwater.client.schemas.filters import FlowFilter, FlowFilterName
from headwater.core.settings import load_settings
from headwater.exceptions import StoreError


def _client(home: Path, busy_timeout: float) -> SyncPrefectClient:
    client = SyncPrefectClient(load_settings(home=str(home), sqlite_busy_timeout_seconds=busy_timeout))
    client.create_flow_run("locked", name="before")  # the database exists, at the current schema
    return client


def _names(client: SyncPrefectClient) -> list[str]:
    return sorted(r.name for r in client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["locked"]))))


def test_a_write_waits_for_another_process_and_succeeds_when_it_lets_go(tmp_path: Path) -> None:
    with _client(tmp_path / "home", busy_timeout=120) as client, \
            SqliteLockHolder(tmp_path / "home" / "headwater.db") as holder:
        outcome: dict[str, Any] = {}

        def write() -> None:
            try:
                outcome["run"] = client.create_flow_run("locked", name="during")
            except BaseException as exc:  # reported to the test thread
                outcome["error"] = exc

        writer = threading.Thread(target=write)
        writer.start()
        wait_until_in_begin(writer)  # the write is waiting for the other process's lock
        assert _names(client) == ["before"]  # reads do not wait (WAL), and the write has not happened
        assert writer.is_alive() and outcome == {}
        holder.release()
        writer.join(timeout=60)
        assert not writer.is_alive()
        assert "error" not in outcome, outcome
        assert outcome["run"].name == "during"
        assert _names(client) == ["before", "during"]


def test_a_write_gives_up_after_the_busy_timeout_naming_the_file_and_the_holder(tmp_path: Path) -> None:
    bound = 0.5
    with _client(tmp_path / "home", busy_timeout=bound) as client, \
            SqliteLockHolder(tmp_path / "home" / "headwater.db") as holder:
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            client.create_flow_run("locked", name="too late")
        waited = time.monotonic() - started
        message = str(caught.value)
        assert str(tmp_path / "home" / "headwater.db") in message
        assert f"stayed locked for more than {bound:g} s" in message
        assert f"process {holder.pid} (" in message and "sqlite3" in message  # who holds it, and its command
        assert "HEADWATER_SQLITE_BUSY_TIMEOUT_SECONDS" in message
        # It waited for the bound, once: not once per retry (eight retries took about 8 s).
        assert bound <= waited < 4 * bound, waited
        holder.release()
        client.create_flow_run("locked", name="after")  # the lock is gone: writes work again
        assert _names(client) == ["after", "before"]
