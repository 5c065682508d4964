"""Global concurrency limits through the client: create, read by name, update, list,
delete (prefect.client.schemas.actions.GlobalConcurrencyLimitCreate / Update)."""

from prefect import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
from prefect.exceptions import ObjectNotFound

NAME = "client-parity-gcl"

with get_client(sync_client=True) as client:
    try:
        client.delete_global_concurrency_limit_by_name(NAME)
    except ObjectNotFound:
        pass
    client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(name=NAME, limit=3))
    limit = client.read_global_concurrency_limit_by_name(NAME)
    print(limit.name, limit.limit, limit.active, limit.active_slots, limit.slot_decay_per_second)
    client.update_global_concurrency_limit(NAME, GlobalConcurrencyLimitUpdate(limit=5, active=False))
    limit = client.read_global_concurrency_limit_by_name(NAME)
    print(limit.limit, limit.active)
    print(NAME in [lim.name for lim in client.read_global_concurrency_limits(limit=200)])
    client.delete_global_concurrency_limit_by_name(NAME)
    try:
        client.read_global_concurrency_limit_by_name(NAME)
    except ObjectNotFound:
        print("gone")
