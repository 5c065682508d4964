"""A Schedule built from clocks and filters: only weekday dates of a twice-daily clock survive, and hours between 9 and 11 of an hourly one.

Exercises prefect.schedules.Schedule, clocks.IntervalClock and filters (docs-v1: core/concepts/schedules#filters).
"""
import datetime
import logging
import sys

from prefect.schedules import Schedule, clocks, filters

UTC = datetime.timezone.utc

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

clock = clocks.IntervalClock(start_date=datetime.datetime(2022, 6, 3, 0, tzinfo=UTC),
                             interval=datetime.timedelta(hours=12))
schedule = Schedule(clocks=[clock], filters=[filters.is_weekday])
for when in schedule.next(6, after=datetime.datetime(2022, 6, 3, tzinfo=UTC)):
    print(when.isoformat(), when.strftime("%a"))

hours = Schedule(
    clocks=[clocks.IntervalClock(start_date=datetime.datetime(2022, 1, 1, tzinfo=UTC),
                                 interval=datetime.timedelta(hours=1))],
    filters=[filters.between_times(datetime.time(9), datetime.time(11))],
)
print([d.strftime("%H:%M") for d in hours.next(4, after=datetime.datetime(2022, 1, 1, 0, 30, tzinfo=UTC))])
