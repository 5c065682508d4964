"""IntervalSchedule yields dates every interval from its start_date; next(n, after=) from a fixed point.

Exercises prefect.schedules.IntervalSchedule (docs-v1: core/concepts/schedules).
"""
import datetime
import logging
import sys

from prefect.schedules import IntervalSchedule

UTC = datetime.timezone.utc

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

start = datetime.datetime(2022, 6, 3, 20, 0, tzinfo=UTC)
schedule = IntervalSchedule(start_date=start, interval=datetime.timedelta(hours=6))
for when in schedule.next(5, after=datetime.datetime(2022, 6, 3, 21, 0, tzinfo=UTC)):
    print(when.isoformat())
ended = IntervalSchedule(start_date=start, interval=datetime.timedelta(days=1),
                         end_date=datetime.datetime(2022, 6, 5, 20, 0, tzinfo=UTC))
print([d.isoformat() for d in ended.next(10, after=start)])
