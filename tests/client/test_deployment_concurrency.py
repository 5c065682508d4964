"""Deployment concurrency limits with a collision strategy (Prefect's ConcurrencyLimitConfig):
ENQUEUE leaves a due run waiting, CANCEL_NEW cancels it; on every transport."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from headwater.client.orchestration import SyncPrefectClient
from headwater.client.schemas.actions import DeploymentUpdate
from headwater.client.schemas.objects import (
    ConcurrencyLimitConfig,
    ConcurrencyLimitStrategy,
    ConcurrencyOptions,
    StateType,
)
from headwater.core.deployment_schemas import ClaimRequest, DeploymentCreate


def _deployment(client: SyncPrefectClient, flow_name: str, options: ConcurrencyOptions | None) -> str:
    info = client.transport.upsert_deployment(DeploymentCreate(
        name="limited", flow_name=flow_name, entrypoint="flows.py:main", concurrency_limit=1,
        concurrency_options=options))
    return info.id


@pytest.mark.parametrize("strategy", ["ENQUEUE", "CANCEL_NEW"])
def test_a_due_run_beyond_the_limit_waits_or_is_cancelled(client: SyncPrefectClient, flow_name: str,
                                                          strategy: str) -> None:
    deployment_id = _deployment(client, flow_name, ConcurrencyOptions(collision_strategy=strategy))
    deployment = client.read_deployment(deployment_id)
    assert deployment.concurrency_limit == 1
    assert deployment.concurrency_options == ConcurrencyOptions(collision_strategy=strategy)
    first = client.create_flow_run_from_deployment(deployment_id)
    (claimed,) = client.transport.claim_runs(ClaimRequest(deployment_ids=[deployment_id], limit=5))
    assert claimed.flow_run_id == str(first.id)
    second = client.create_flow_run_from_deployment(deployment_id)
    assert client.transport.claim_runs(ClaimRequest(deployment_ids=[deployment_id], limit=5)) == []
    state = client.read_flow_run(second.id).state
    assert state is not None
    if strategy == "ENQUEUE":
        assert (state.type, state.name) == (StateType.SCHEDULED, "Scheduled")
    else:
        assert (state.type, state.name, state.message) == (
            StateType.CANCELLED, "Cancelled", "Deployment concurrency limit reached.")
    assert client.read_flow_run(first.id).state.type == StateType.PENDING


def test_the_strategy_can_be_changed_and_defaults_to_enqueue(client: SyncPrefectClient, flow_name: str) -> None:
    deployment_id = _deployment(client, flow_name, None)
    assert client.read_deployment(deployment_id).concurrency_options is None
    client.update_deployment(deployment_id, DeploymentUpdate(
        concurrency_options=ConcurrencyOptions(collision_strategy="CANCEL_NEW", grace_period_seconds=120)))
    options = client.read_deployment(deployment_id).concurrency_options
    assert options is not None
    assert (options.collision_strategy, options.grace_period_seconds) == (ConcurrencyLimitStrategy.CANCEL_NEW, 120)


def test_create_deployment_takes_concurrency_options(client: SyncPrefectClient, flow_name: str) -> None:
    flow_id = client.create_flow_from_name(flow_name)
    deployment_id = client.create_deployment(flow_id, "d", entrypoint="flows.py:main", concurrency_limit=2,
                                             concurrency_options={"collision_strategy": "CANCEL_NEW"})
    options = client.read_deployment(deployment_id).concurrency_options
    assert options is not None and options.collision_strategy == ConcurrencyLimitStrategy.CANCEL_NEW


def test_config_models_check_their_fields() -> None:
    config = ConcurrencyLimitConfig(limit=1, collision_strategy="CANCEL_NEW")
    assert repr(config) == ("ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW, "
                            "grace_period_seconds=None)")
    with pytest.raises(ValidationError, match="greater than or equal to 60"):
        ConcurrencyOptions(collision_strategy="ENQUEUE", grace_period_seconds=5)
    with pytest.raises(ValidationError, match="'ENQUEUE' or 'CANCEL_NEW'"):
        ConcurrencyLimitConfig(limit=1, collision_strategy="X")
