"""Each kind of client in this suite runs over the transport and database it names, so
a pass on "postgres" is a pass on PostgreSQL."""

from __future__ import annotations

from headwater.client.http import HttpTransport
from headwater.client.orchestration import SyncPrefectClient
from headwater.operations import Operations


def test_the_client_runs_over_the_transport_and_database_asked_for(client: SyncPrefectClient,
                                                                   transport_kind: str) -> None:
    transport = client.transport
    if transport_kind == "server":
        assert isinstance(transport, HttpTransport)
        return
    assert isinstance(transport, Operations)
    expected = {"embedded": "sqlite", "postgres": "postgresql"}[transport_kind]
    assert transport.store.db.dialect_name == expected
