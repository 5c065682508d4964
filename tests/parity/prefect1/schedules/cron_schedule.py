"""CronSchedule and CronClock keep their cron string, start date and day_or flag.

Exercises prefect.schedules.CronSchedule construction (docs-v1: core/concepts/schedules). Only
construction: next() of cron clocks fails on the recorded Prefect 1.4.1 install (pendulum 3).
"""
import datetime
import logging
import sys

from prefect.schedules import CronSchedule, clocks

UTC = datetime.timezone.utc

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

schedule = CronSchedule("30 9 * * 1-5", start_date=datetime.datetime(2022, 1, 1, tzinfo=UTC))
clock = schedule.clocks[0]
print(type(schedule).__name__, type(clock).__name__, len(schedule.clocks))
print(clock.cron, clock.start_date.isoformat(), clock.end_date, clock.day_or)
other = clocks.CronClock("0 12 1 * *", day_or=False, parameter_defaults={"k": 1})
print(other.cron, other.day_or, other.parameter_defaults)
try:
    clocks.CronClock("not a cron string")
except ValueError as exc:
    print("ValueError")
