"""The scheduler's horizon and the worker's poll interval come from the one settings
object (HEADWATER_SCHEDULER_HORIZON_SECONDS, HEADWATER_WORKER_POLL_INTERVAL_SECONDS);
a CLI flag overrides the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from headwater.core.deployment_schemas import DeploymentCreate, ScheduleSpec
from headwater.core.settings import load_settings
from headwater.server.services.scheduler import Scheduler
from headwater.store import Store

HEADWATER = str(Path(sys.executable).with_name("headwater"))


def test_the_defaults_are_an_hour_ahead_and_half_a_second() -> None:
    settings = load_settings(home="/nonexistent-headwater-home")
    assert settings.scheduler_horizon_seconds == 3600.0
    assert settings.worker_poll_interval_seconds == 0.5


@pytest.mark.parametrize("horizon", ["7200", "10800"])
def test_the_scheduler_creates_runs_as_far_ahead_as_the_setting_says(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, horizon: str) -> None:
    from sqlalchemy import func, select

    from headwater.core import clock
    from headwater.store.tables import flow_runs

    monkeypatch.setenv("HEADWATER_SCHEDULER_HORIZON_SECONDS", horizon)
    settings = load_settings(home=str(tmp_path))
    with Store.open(f"sqlite:///{tmp_path / 'h.db'}") as store:
        store.deployments.upsert_deployment(DeploymentCreate(  # deploying schedules the first hour
            name="every-2-minutes", flow_name="etl", entrypoint="flows.py:etl", work_pool_name="default",
            schedules=[ScheduleSpec(interval=120)]))
        scheduler = Scheduler(store, settings)
        assert scheduler.horizon_seconds == float(horizon)
        now = clock.now()
        scheduler.run_once(now)
        latest = store.db.read(lambda conn: conn.execute(
            select(func.max(flow_runs.c.expected_start_time))).scalar_one())
        count = store.db.read(lambda conn: conn.execute(
            select(func.count()).select_from(flow_runs)).scalar_one())
    assert now + float(horizon) - 120 <= latest <= now + float(horizon)
    assert abs(count - float(horizon) / 120) <= 1


def _start_worker_once(home: Path, *flags: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HEADWATER_")}
    environment.update(HEADWATER_HOME=str(home), **env)
    done = subprocess.run([HEADWATER, "worker", "start", "--pool", "default", "--run-once", *flags],
                          env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_the_worker_polls_at_the_interval_of_the_setting_unless_the_flag_says(tmp_path: Path) -> None:
    banner = _start_worker_once(tmp_path, HEADWATER_WORKER_POLL_INTERVAL_SECONDS="2.5")
    assert "looking for runs every 2.5 s" in banner
    banner = _start_worker_once(tmp_path, "--poll-interval", "0.2", HEADWATER_WORKER_POLL_INTERVAL_SECONDS="2.5")
    assert "looking for runs every 0.2 s" in banner
    assert "looking for runs every 0.5 s" in _start_worker_once(tmp_path)
