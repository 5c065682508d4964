"""Tag concurrency limits through the client: create_concurrency_limit on a tag, read it
back by tag, resize it, reset it and delete it."""

from prefect import get_client
from prefect.exceptions import ObjectNotFound

TAG = "client-parity-db"

with get_client(sync_client=True) as client:
    first = client.create_concurrency_limit(tag=TAG, concurrency_limit=2)
    limit = client.read_concurrency_limit_by_tag(TAG)
    print(limit.tag, limit.concurrency_limit, limit.active_slots, limit.id == first)
    second = client.create_concurrency_limit(tag=TAG, concurrency_limit=4)
    print(second == first, client.read_concurrency_limit_by_tag(TAG).concurrency_limit)
    client.reset_concurrency_limit_by_tag(TAG)
    print(TAG in [lim.tag for lim in client.read_concurrency_limits(limit=200, offset=0)])
    client.delete_concurrency_limit_by_tag(TAG)
    try:
        client.read_concurrency_limit_by_tag(TAG)
    except ObjectNotFound:
        print("gone")
