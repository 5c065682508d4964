"""Tag concurrency limits taken by hand, as in `prefect.concurrency.v1`.

`prefect.concurrency.v1.sync.concurrency` / `.asyncio.concurrency` hold one slot of
each named tag limit (`headwater concurrency-limit create TAG N`) for a block, on
behalf of a task run: the limits a task with those tags would wait on.
"""
