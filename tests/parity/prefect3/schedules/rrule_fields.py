"""prefect.schedules.RRule stores an iCal recurrence rule string.

Exercises prefect.schedules.RRule."""
from prefect.schedules import RRule

r = RRule("RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9", timezone="Europe/Paris")
print(r.rrule)
print(r.timezone, r.cron, r.interval, r.active)
