"""`LocalAgent`: Prefect 1's local agent as a headwater worker of the default work pool.

    LocalAgent(labels=["etl"], env_vars={"STAGE": "prod"}, max_polls=10).start()

is `headwater agent local start` (`headwater worker start --pool default`) from Python:
each due run of a registered flow runs in a process of its own, with `env_vars` added
to its environment (the flow's `LocalRun` run config then applies on top of them).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["LocalAgent"]


class LocalAgent:
    """Runs the flow runs of registered flows on this machine.

    Args:
        name: the worker's name (default: host name and process id).
        labels: kept for Prefect 1 compatibility; headwater workers take every run of their pool.
        env_vars: environment variables added to every run's process.
        import_paths: directories added to the runs' `PYTHONPATH`.
        max_polls: stop after this many looks for due runs (default: run until stopped).
        poll_interval: seconds between looks (default: the `worker_poll_interval_seconds` setting).
        **prefect1_options: Prefect 1 options with no meaning here (`agent_config_id`,
            `show_flow_logs`, `hostname_label`, `agent_address`, `no_cloud_logs`) are accepted and ignored.

    Raises:
        TypeError: an option Prefect 1's LocalAgent did not have either.
    """

    _IGNORED = frozenset({"agent_config_id", "show_flow_logs", "hostname_label", "agent_address", "no_cloud_logs"})

    def __init__(self, name: str | None = None, labels: Iterable[str] | None = None,
                 env_vars: dict[str, str] | None = None, import_paths: list[str] | None = None,
                 max_polls: int | None = None, poll_interval: float | None = None, **prefect1_options: Any) -> None:
        unknown = sorted(set(prefect1_options) - self._IGNORED)
        if unknown:
            raise TypeError(f"LocalAgent got unknown option(s) {', '.join(map(repr, unknown))}")
        self.name = name
        self.labels = sorted(set(labels or ()))
        self.env_vars = dict(env_vars or {})
        self.import_paths = list(import_paths or [])
        self.max_polls = max_polls
        self.poll_interval = poll_interval
        self.work_pool_name = "default"

    def run_environment(self) -> dict[str, str]:
        """The environment of the runs' processes: this one's, plus `env_vars` and `import_paths`."""
        env = {**os.environ, **self.env_vars}
        if self.import_paths:
            env["PYTHONPATH"] = os.pathsep.join([*self.import_paths, *filter(None, [env.get("PYTHONPATH")])])
        return env

    def start(self) -> None:
        """Run until stopped (Ctrl+C) or until `max_polls` looks for due runs, then wait for the runs started."""
        from headwater.client.transport import open_transport
        from headwater.core.settings import get_settings
        from headwater.worker import Worker

        settings = get_settings()
        control = open_transport(settings)
        interval = self.poll_interval if self.poll_interval is not None else settings.worker_poll_interval_seconds
        worker = Worker(control, name=self.name, work_pool_name=self.work_pool_name, poll_interval=interval,
                        run_scheduler=not settings.api_url, env=self.run_environment())
        try:
            worker.register()
            if self.max_polls is None:
                try:
                    worker.run()
                except KeyboardInterrupt:
                    worker.shutdown()
                return
            pause = threading.Event()  # never set: a bounded wait between polls
            for poll in range(self.max_polls):
                if poll:
                    pause.wait(interval)
                worker.run_once()
            worker.drain()
        finally:
            control.close()
