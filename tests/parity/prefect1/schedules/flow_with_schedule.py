"""A Flow keeps its schedule; flow.run(run_on_schedule=False) runs once right away.

Exercises Flow(schedule=) and flow.run(run_on_schedule=) (docs-v1: core/concepts/schedules).
"""
import datetime
import logging
import sys

from prefect import Flow, task
from prefect.schedules import IntervalSchedule

UTC = datetime.timezone.utc

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

schedule = IntervalSchedule(start_date=datetime.datetime(2030, 1, 1, tzinfo=UTC),
                            interval=datetime.timedelta(minutes=30))


@task
def tick():
    return "tick"


with Flow("scheduled", schedule=schedule) as flow:
    t = tick()

print(type(flow.schedule).__name__)
print([d.isoformat() for d in flow.schedule.next(2, after=datetime.datetime(2030, 1, 1, tzinfo=UTC))])
state = flow.run(run_on_schedule=False)
print(type(state).__name__, state.result[t].result)
