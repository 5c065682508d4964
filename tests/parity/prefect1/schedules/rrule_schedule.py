"""RRuleSchedule gives the times of a dateutil rrule from a start date.

Exercises prefect.schedules.RRuleSchedule (docs-v1: api/latest/schedules/schedules).
"""
import logging
import sys

import prefect

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

from datetime import datetime, timezone

from dateutil import rrule

from prefect.schedules import RRuleSchedule

start = datetime(2030, 1, 1, 9, 0, tzinfo=timezone.utc)
rule = rrule.rrule(rrule.WEEKLY, dtstart=start, byweekday=(rrule.MO, rrule.FR), count=5)
schedule = RRuleSchedule(rule)
for when in schedule.next(4, after=datetime(2030, 1, 1, tzinfo=timezone.utc)):
    print(when.isoformat())
print(len(schedule.next(10, after=datetime(2030, 1, 1, tzinfo=timezone.utc))))
