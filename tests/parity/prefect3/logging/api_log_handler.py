"""prefect.logging.handlers.APILogHandler: lines a library logs during a flow or task run are
recorded in that run's logs (read back through the client); lines outside a run are not."""
import logging

from prefect import flow, get_client, task
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.logging.handlers import APILogHandler
from prefect.runtime import flow_run

library = logging.getLogger("my_library")
library.setLevel(logging.INFO)
library.propagate = False
api_handler = APILogHandler()
library.addHandler(api_handler)


@task
def load(n):
    library.info("loading %d rows", n)
    return n


@flow
def pipeline():
    library.warning("starting the pipeline")
    load(3)
    return flow_run.id


library.info("outside any run: not recorded")
flow_run_id = pipeline()
api_handler.flush()  # wait until the lines handed over are stored
with get_client(sync_client=True) as client:
    logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
mine = sorted((log.name, log.level, log.message, log.task_run_id is not None) for log in logs
              if log.name == "my_library")
for line in mine:
    print(line)
