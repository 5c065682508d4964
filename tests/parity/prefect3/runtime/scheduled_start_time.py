"""flow_run.scheduled_start_time is a timezone-aware datetime during a run.

Exercises prefect.runtime.flow_run.scheduled_start_time (type and tzinfo only)."""
import datetime

from prefect import flow
from prefect.runtime import flow_run, deployment


@flow
def main():
    t = flow_run.scheduled_start_time
    print("is datetime", isinstance(t, datetime.datetime))
    print("aware", t.tzinfo is not None)
    print("deployment id", deployment.id)


if __name__ == "__main__":
    main()
