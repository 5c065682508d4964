"""prefect.schedules.Interval accepts a timedelta or a number of seconds and keeps the given anchor date.

Exercises prefect.schedules.Interval."""
from datetime import datetime, timedelta, timezone

from prefect.schedules import Interval

a = Interval(timedelta(hours=1), anchor_date=datetime(2024, 1, 1, tzinfo=timezone.utc))
print(a.interval, a.anchor_date.isoformat(), a.cron, a.rrule)

b = Interval(90, anchor_date=datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc), timezone="UTC")
print(b.interval, b.interval.total_seconds(), b.anchor_date.isoformat(), b.timezone)

c = Interval(2.5, anchor_date=datetime(2024, 1, 1, tzinfo=timezone.utc), parameters={"n": 1}, slug="s")
print(c.interval, c.parameters, c.slug, c.active)
