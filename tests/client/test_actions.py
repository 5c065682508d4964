"""Prefect's action bodies taken by the client's methods, on every transport."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from headwater.client.orchestration import SyncPrefectClient
from headwater.client.schemas.actions import DeploymentUpdate, LogCreate
from headwater.client.schemas.filters import LogFilter, LogFilterFlowRunId
from headwater.core.deployment_schemas import DeploymentCreate
from headwater.exceptions import ObjectNotFound


def test_update_deployment_changes_only_the_fields_given(client: SyncPrefectClient, flow_name: str) -> None:
    client.transport.upsert_deployment(DeploymentCreate(
        name="d", flow_name=flow_name, entrypoint="flows.py:main", parameters={"x": 1}, description="before"))
    deployment = client.read_deployment_by_name(f"{flow_name}/d")
    client.update_deployment(deployment.id, DeploymentUpdate(paused=True, parameters={"x": 2}, concurrency_limit=3))
    changed = client.read_deployment(deployment.id)
    assert (changed.paused, changed.parameters, changed.concurrency_limit, changed.description) == \
        (True, {"x": 2}, 3, "before")
    client.update_deployment(deployment.id, DeploymentUpdate(description="after"))
    assert (client.read_deployment(deployment.id).description, client.read_deployment(deployment.id).paused) == \
        ("after", True)
    with pytest.raises(ValueError, match="tags, work_pool_name"):
        client.update_deployment(deployment.id, DeploymentUpdate(tags=["a"], work_pool_name="p", paused=False))
    assert client.read_deployment(deployment.id).paused is True  # a refused update changes nothing
    with pytest.raises(ObjectNotFound):
        client.update_deployment("00000000-0000-0000-0000-000000000000", DeploymentUpdate(paused=True))


def test_create_logs_takes_bodies_and_dicts(client: SyncPrefectClient, flow_name: str) -> None:
    run = client.create_flow_run(flow_name)
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    client.create_logs([
        LogCreate(name="my.logger", level=logging.INFO, message="first", timestamp=at, flow_run_id=run.id),
        {"name": "my.logger", "level": logging.WARNING, "message": "second", "timestamp": at.isoformat(),
         "flow_run_id": str(run.id)},
    ])
    client.create_logs([])
    lines = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
    assert sorted((line.name, line.level, line.message) for line in lines) == [
        ("my.logger", logging.INFO, "first"), ("my.logger", logging.WARNING, "second")]
    with pytest.raises(ValueError, match="level"):
        client.create_logs([{"name": "x", "level": "loud", "message": "m", "timestamp": at.isoformat()}])
