"""Work pools through the client: create_work_pool (WorkPoolCreate), read_work_pool,
update_work_pool (WorkPoolUpdate), read_work_pools with a WorkPoolFilter, and
ObjectAlreadyExists for a taken name."""

from prefect import get_client
from prefect.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
from prefect.client.schemas.filters import WorkPoolFilter, WorkPoolFilterName
from prefect.exceptions import ObjectAlreadyExists

NAME = "client-parity-pool"

with get_client(sync_client=True) as client:
    pool = client.create_work_pool(WorkPoolCreate(name=NAME, type="process", concurrency_limit=2), overwrite=True)
    print(pool.name, pool.type, pool.concurrency_limit, pool.is_paused)
    try:
        client.create_work_pool(WorkPoolCreate(name=NAME, type="process"))
    except ObjectAlreadyExists:
        print("taken")
    client.update_work_pool(NAME, WorkPoolUpdate(is_paused=True, concurrency_limit=5))
    again = client.read_work_pool(NAME)
    print(again.is_paused, again.concurrency_limit, again.id == pool.id)
    found = client.read_work_pools(work_pool_filter=WorkPoolFilter(name=WorkPoolFilterName(any_=[NAME])))
    print([p.name for p in found])
    print(client.read_workers_for_work_pool(NAME))
    client.update_work_pool(NAME, WorkPoolUpdate(is_paused=False))
    print(client.read_work_pool(NAME).is_paused)
