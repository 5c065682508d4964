"""`ClientBase`: what every area's client methods are built on.

It holds the settings and the transport (opened on first use, closed with the
client) and gives each method `self._ops()`: the transport, after flushing the
history this process has emitted and not yet stored, so a run that just finished is
visible, as it is on Prefect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from headwater.client.schemas import filters as f
    from headwater.client.transport import Transport
    from headwater.core.settings import Settings

__all__ = ["ClientBase", "refuse_unsupported"]


def _flush_history() -> None:
    from headwater.orchestrator import current_orchestrator

    orchestrator = current_orchestrator()
    if orchestrator is not None:
        orchestrator.flush(timeout=30)


class ClientBase:
    """Settings, transport and the context-manager protocol, for every area's methods.

    Args:
        settings: where the control plane is (default: the process's settings).
        transport: a transport to use instead of opening one; the client does not close it.
    """

    def __init__(self, settings: Settings | None = None, *, transport: Transport | None = None) -> None:
        if settings is None:
            from headwater.core.settings import get_settings

            settings = get_settings()
        self._settings = settings
        self._transport = transport
        self._own = transport is None

    @property
    def transport(self) -> Transport:
        """The transport, opened on first use."""
        if self._transport is None:
            from headwater.client.transport import open_transport

            self._transport = open_transport(self._settings)
        return self._transport

    @property
    def api_url(self) -> str | None:
        """The server's API URL, or None in-process."""
        return self._settings.api_url

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection (or the database) if this client opened it."""
        if self._own and self._transport is not None:
            self._transport.close()
            self._transport = None

    def _ops(self) -> Transport:
        _flush_history()
        return self.transport

    def hello(self) -> str:
        """Check the control plane answers; returns where it is."""
        return self.transport.url

    def _deployment_ids(self, deployment_filter: f.DeploymentFilter | None) -> list[str] | None:
        """The ids of the deployments a `deployment_filter` selects (None: no filter).
        Flow runs and task runs are filtered by deployment through these ids."""
        if deployment_filter is None:
            return None
        from headwater.client import convert as c

        return [d.id for d in self._ops().list_deployments() if c.deployment_matches(d, None, None, deployment_filter)]


def refuse_unsupported(unsupported: dict[str, Any]) -> None:
    """Refuse Prefect arguments headwater does not support yet (those given a value).

    Raises:
        TypeError: naming each such argument.
    """
    given = sorted(name for name, value in unsupported.items() if value is not None)
    if given:
        raise TypeError(f"headwater's client does not support the argument(s) {', '.join(given)} yet")
