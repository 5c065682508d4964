"""get_run_logger() works in async tasks and flows; messages reach a root-logger handler in await order.

Exercises prefect.get_run_logger from async code."""
import asyncio
import logging

from prefect import flow, get_run_logger, task


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.seen = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("a:"):
            self.seen.append(msg)


handler = Collect()
logging.getLogger().addHandler(handler)


@task
async def t(i: int):
    get_run_logger().info("a: task %d", i)


@flow
async def main():
    get_run_logger().info("a: flow start")
    for i in range(2):
        await t(i)


if __name__ == "__main__":
    asyncio.run(main())
    print(handler.seen)
