"""prefect.context.with_context: a function run in a process pool logs to the task run that
started it through get_run_logger(); serialize_context / hydrated_context carry tags too."""
import multiprocessing

from prefect import flow, get_client, get_run_logger, tags, task
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.context import TagsContext, hydrated_context, serialize_context, with_context
from prefect.runtime import flow_run


def work(item):
    get_run_logger().info("processing item %s", item)
    return item * 2


def current_tags(_):
    return sorted(TagsContext.get().current_tags)


@task
def fan_out(items):
    pool = multiprocessing.get_context("spawn").Pool(2)
    try:
        doubled = pool.map(with_context(work), items)
    finally:
        pool.close()
        pool.join()
    return doubled


@flow
def pipeline():
    return fan_out([1, 2, 3]), flow_run.id


if __name__ == "__main__":
    doubled, flow_run_id = pipeline()
    print(doubled)
    with get_client(sync_client=True) as client:
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run_id])))
    print(sorted((log.message, log.task_run_id is not None) for log in logs if log.message.startswith("processing")))
    with tags("etl", "nightly"):
        carried = serialize_context()
    print(current_tags(None))
    with hydrated_context(carried):
        print(current_tags(None))
    print(current_tags(None))
