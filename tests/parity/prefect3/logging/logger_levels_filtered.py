"""A run logger's debug records are dropped at the default INFO level; info and above are kept.

Exercises the default logging level of run loggers."""
import logging

from prefect import flow, get_run_logger


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.seen = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("lvl:"):
            self.seen.append(record.levelname)


handler = Collect()
logging.getLogger().addHandler(handler)


@flow
def main():
    log = get_run_logger()
    log.debug("lvl: debug")
    log.info("lvl: info")
    log.warning("lvl: warning")
    log.critical("lvl: critical")


if __name__ == "__main__":
    main()
    print(handler.seen)
