"""A Schedule with two interval clocks merges their dates in order, each with its parameter defaults.

Exercises prefect.schedules.clocks.IntervalClock and parameter_defaults (docs-v1: core/concepts/schedules).
"""
import datetime
import logging
import sys

from prefect.schedules import Schedule, clocks

UTC = datetime.timezone.utc

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

start = datetime.datetime(2022, 1, 3, tzinfo=UTC)
schedule = Schedule(clocks=[
    clocks.IntervalClock(start_date=start + datetime.timedelta(hours=8), interval=datetime.timedelta(days=1),
                         parameter_defaults={"kind": "morning"}),
    clocks.IntervalClock(start_date=start + datetime.timedelta(hours=20), interval=datetime.timedelta(days=1),
                         parameter_defaults={"kind": "evening"}),
])
events = schedule.next(5, after=start, return_events=True)
for event in events:
    print(event.start_time.isoformat(), event.parameter_defaults)
print([d.isoformat() for d in schedule.next(2, after=start)])
