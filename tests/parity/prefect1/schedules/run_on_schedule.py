"""flow.run() on a flow with a schedule runs it at each scheduled time until the schedule ends;
a schedule with no future dates is refused. Exercises Flow(schedule=) with flow.run() (docs-v1:
core/concepts/schedules).
"""
import datetime
import logging
import sys

from prefect import Flow, Parameter, task
from prefect.schedules import Schedule, clocks

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

runs = []


@task
def tick(label):
    runs.append(label)


# Two runs, two seconds apart, starting on the next whole second after a short wait.
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
start = now + datetime.timedelta(seconds=2)
schedule = Schedule(clocks=[clocks.IntervalClock(
    start_date=start, end_date=start + datetime.timedelta(seconds=2),
    interval=datetime.timedelta(seconds=2), parameter_defaults={"label": "scheduled"})])

with Flow("on-schedule", schedule=schedule) as flow:
    label = Parameter("label", default="manual")
    tick(label)

state = flow.run()
print(runs, type(state).__name__)

past = Schedule(clocks=[clocks.IntervalClock(
    start_date=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
    end_date=datetime.datetime(2020, 1, 2, tzinfo=datetime.timezone.utc),
    interval=datetime.timedelta(hours=1))])
flow.schedule = past
try:
    flow.run()
except ValueError as exc:
    print("ValueError", exc)
print(len(runs))
