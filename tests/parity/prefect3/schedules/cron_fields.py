"""prefect.schedules.Cron builds a Schedule whose fields hold the cron string, timezone and options.

Exercises prefect.schedules.Cron (docs: "Schedule flow runs")."""
from prefect.schedules import Cron, Schedule

s = Cron("0 8 * * 1", timezone="America/New_York")
print(isinstance(s, Schedule))
print(s.cron, s.timezone, s.day_or, s.active, s.parameters, s.slug)
print(s.interval, s.rrule)

t = Cron("*/5 * * * *", day_or=False, active=False, parameters={"env": "dev"}, slug="every-five")
print(t.cron, t.timezone, t.day_or, t.active, t.parameters, t.slug)
