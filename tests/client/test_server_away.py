"""The HTTP transport when the server is away (client/retry.py): a server never reached
fails at once, a restart is waited out, an outage longer than HEADWATER_API_BUFFER_SECONDS
fails clearly, and a request whose reply was lost is sent again only when that is harmless.

Real servers throughout; lost replies and 429/5xx come from a proxy in front of a real
server (faulty_proxy.py), as from a load balancer."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support import ServerProcess, free_port, wait_for

from headwater.client.http import HttpTransport
from headwater.client.orchestration import SyncPrefectClient
from headwater.client.schemas.filters import FlowFilter, FlowFilterName
from headwater.core.deployment_schemas import DeploymentCreate
from headwater.core.settings import load_settings
from headwater.exceptions import HeadwaterError, ObjectNotFound, StoreError
from headwater.states import Running

from .faulty_proxy import FaultyProxy


def _client(home: Path, api_url: str, buffer_seconds: float = 60) -> SyncPrefectClient:
    return SyncPrefectClient(load_settings(home=str(home), api_url=api_url, api_buffer_seconds=buffer_seconds))


def _transport(client: SyncPrefectClient) -> HttpTransport:
    transport = client.transport
    assert isinstance(transport, HttpTransport)
    return transport


def _runs_named(client: SyncPrefectClient, flow_name: str) -> list[str]:
    return [r.name for r in client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=[flow_name])))]


def _alone(error: BaseException) -> bool:
    """No HTTP library exception is chained to it (none would be printed under it)."""
    return error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def test_a_server_never_reached_fails_at_once_naming_the_url(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/api"
    with _client(tmp_path / "home", url) as client:
        with pytest.raises(StoreError) as caught:
            client.read_flow_runs()
        assert _transport(client).resender.resent == 0  # nothing to wait for: it never answered
    message = str(caught.value)
    assert f"cannot reach the headwater server at {url}" in message
    assert "headwater server start" in message and "HEADWATER_API_URL" in message
    assert _alone(caught.value)  # no httpx traceback


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of this test's own, on a fixed port, so it can be stopped and started again."""
    server = ServerProcess(tmp_path / "server-home", HEADWATER_LOGGING_TO_CONSOLE="false").start()
    try:
        yield server
    finally:
        server.stop()


def test_a_call_waits_out_a_server_restart(own_server: ServerProcess, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with _client(tmp_path / "home", own_server.url) as client:
        client.create_flow_run("restarts", name="before")
        resender = _transport(client).resender
        own_server.stop()
        outcome: dict[str, Any] = {}

        def read() -> None:
            try:
                outcome["names"] = _runs_named(client, "restarts")
            except BaseException as exc:  # reported to the test thread
                outcome["error"] = exc

        reader = threading.Thread(target=read)
        reader.start()
        wait_for(lambda: resender.down_since is not None, 30, "the read to miss the server")
        assert reader.is_alive()  # still trying, not failed
        own_server.start()
        reader.join(timeout=60)
        assert not reader.is_alive()
        assert outcome == {"names": ["before"]}
        assert resender.resent >= 1 and resender.down_since is None
        # Restarted between two calls: the pooled connection is stale, and a change (which is never
        # sent twice) still goes through, on a new connection, not failing as "may have been done".
        own_server.stop()
        own_server.start()
        run = client.read_flow_runs()[0]
        own_server.stop()
        own_server.start()
        client.set_flow_run_state(run.id, Running())
        assert client.read_flow_run(run.id).state_type.value == "RUNNING"
    err = capsys.readouterr().err
    assert f"the headwater server at {own_server.url} is away" in err and "trying again for up to 60 s" in err
    assert "answers again" in err


def test_an_outage_longer_than_the_bound_fails_clearly_then_later_calls_try_once(
        own_server: ServerProcess, tmp_path: Path) -> None:
    bound = 1.0
    with _client(tmp_path / "home", own_server.url, buffer_seconds=bound) as client:
        client.create_flow_run("gone", name="before")
        resender = _transport(client).resender
        own_server.kill()
        started = time.monotonic()
        with pytest.raises(StoreError) as caught:
            client.read_flow_runs()
        waited = time.monotonic() - started
        message = str(caught.value)
        assert f"cannot reach the headwater server at {own_server.url}" in message
        assert "gave up on POST /flow_runs/filter after" in message
        assert "headwater server start" in message and "HEADWATER_API_BUFFER_SECONDS=1 " in message
        assert _alone(caught.value)
        # Waits of 0.05, 0.1, 0.2 and 0.4 s, then the 0.25 s left of the bound, then one last try.
        assert resender.resent == 5, message
        assert "after 6 tries" in message
        assert bound <= waited <= bound + 0.5, waited
        # The outage has outlasted the bound: the next call gets one try, as the engine's batches do.
        with pytest.raises(StoreError, match="after 1 try"):
            client.read_flow_runs()
        assert resender.resent == 5
        own_server.start()
        assert _runs_named(client, "gone") == ["before"]  # back: calls work again


# -- through a proxy that loses replies and answers statuses of its own ------------------------------------


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultyProxy]:
    proxy = FaultyProxy(server.url)
    try:
        yield proxy
    finally:
        proxy.close()


@pytest.fixture
def via_proxy(proxy: FaultyProxy, tmp_path: Path) -> Iterator[SyncPrefectClient]:
    with _client(tmp_path / "home", proxy.url) as client:
        client.read_flow_runs(limit=1)  # the server has answered once
        yield client


def test_a_create_whose_reply_was_lost_is_sent_again_and_made_once(
        via_proxy: SyncPrefectClient, proxy: FaultyProxy, flow_name: str) -> None:
    proxy.plan("pass", "lose_reply")  # the flow is made first (FlowCreate), then the run
    run = via_proxy.create_flow_run(flow_name, name="once")
    assert proxy.requests_to("POST", "/flows/") == 1
    assert proxy.requests_to("POST", "/flow_runs/") == 2  # sent twice ...
    assert _runs_named(via_proxy, flow_name) == ["once"]  # ... made once: the transport chose its id
    assert via_proxy.read_flow_run(run.id).name == "once"


def test_a_deployment_run_whose_reply_was_lost_is_made_once(
        via_proxy: SyncPrefectClient, proxy: FaultyProxy, flow_name: str) -> None:
    via_proxy.transport.upsert_deployment(DeploymentCreate(name="d", flow_name=flow_name, entrypoint="flows.py:main"))
    deployment = via_proxy.read_deployment_by_name(f"{flow_name}/d")
    proxy.plan("pass", "lose_reply")  # the transport reads the deployment, then creates the run
    via_proxy.create_flow_run_from_deployment(deployment.id, name="scheduled once")
    assert proxy.requests_to("POST", "/create_flow_run") == 2
    assert _runs_named(via_proxy, flow_name) == ["scheduled once"]


def test_a_state_change_whose_reply_was_lost_is_not_sent_again(
        via_proxy: SyncPrefectClient, proxy: FaultyProxy, flow_name: str) -> None:
    run = via_proxy.create_flow_run(flow_name, name="moved")
    proxy.plan("lose_reply")
    with pytest.raises(StoreError, match="may or may not have been done; it was not sent again") as caught:
        via_proxy.set_flow_run_state(run.id, Running())
    assert f"the headwater server at {proxy.url} did not answer POST /flow_runs/" in str(caught.value)
    assert _alone(caught.value)
    assert proxy.requests_to("POST", "/set_state") == 1
    assert via_proxy.read_flow_run(run.id).state_type.value == "RUNNING"  # it had been done


def test_a_delete_whose_reply_was_lost_succeeds(via_proxy: SyncPrefectClient, proxy: FaultyProxy,
                                                flow_name: str) -> None:
    run = via_proxy.create_flow_run(flow_name, name="deleted")
    proxy.plan("lose_reply")
    via_proxy.delete_flow_run(run.id)  # sent again, found nothing: the first one did it
    assert proxy.requests_to("DELETE", f"/flow_runs/{run.id}") == 2
    with pytest.raises(ObjectNotFound):
        via_proxy.read_flow_run(run.id)
    with pytest.raises(ObjectNotFound):  # a DELETE of nothing, not sent again, is still not found
        via_proxy.delete_flow_run(run.id)


def test_retry_after_is_waited_for_and_429_resends_any_request(
        via_proxy: SyncPrefectClient, proxy: FaultyProxy, flow_name: str) -> None:
    run = via_proxy.create_flow_run(flow_name, name="limited")
    proxy.plan(("status", 503, "0.3"))
    started = time.monotonic()
    assert _runs_named(via_proxy, flow_name) == ["limited"]
    assert time.monotonic() - started >= 0.3  # the server's wait, not the 0.05 s backoff
    assert proxy.requests_to("POST", "/flow_runs/filter") == 3  # the fixture's read, the 503, the retry
    proxy.plan(("status", 429, "0"))  # refused unprocessed: even a state change is sent again
    via_proxy.set_flow_run_state(run.id, Running())
    assert proxy.requests_to("POST", "/set_state") == 2
    assert via_proxy.read_flow_run(run.id).state_type.value == "RUNNING"


def test_a_status_that_may_mean_done_or_a_bug_is_not_retried_for_a_change(
        via_proxy: SyncPrefectClient, proxy: FaultyProxy, flow_name: str) -> None:
    run = via_proxy.create_flow_run(flow_name, name="kept")
    proxy.plan(("status", 503, None))
    with pytest.raises(StoreError, match="cannot use its database: from the proxy"):
        via_proxy.set_flow_run_state(run.id, Running())
    assert proxy.requests_to("POST", "/set_state") == 1
    proxy.plan(("status", 500, None))  # a server error is an answer: not retried, even for a read
    with pytest.raises(HeadwaterError, match="answered 500"):
        via_proxy.read_flow_run(run.id)
    assert proxy.requests_to("GET", f"/flow_runs/{run.id}") == 1


def test_a_run_id_chosen_by_the_transport_is_time_ordered(via_proxy: SyncPrefectClient, flow_name: str) -> None:
    first = via_proxy.create_flow_run(flow_name, name="a")
    second = via_proxy.create_flow_run(flow_name, name="b")
    assert first.id.version == 7 and second.id.version == 7 and isinstance(first.id, uuid.UUID)
    assert str(first.id) < str(second.id) or str(first.id)[:8] == str(second.id)[:8]
