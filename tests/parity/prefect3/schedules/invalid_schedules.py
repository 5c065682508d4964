"""Invalid schedules are refused with ValueError: a bad cron string, or two schedule kinds at once.

Exercises validation in prefect.schedules.Schedule."""
from datetime import timedelta

from prefect.schedules import Cron, Schedule

try:
    Cron("not a cron")
    print("accepted")
except ValueError:
    print("bad cron: ValueError")

try:
    Schedule(interval=timedelta(minutes=1), cron="* * * * *")
    print("accepted")
except ValueError:
    print("two kinds: ValueError")

ok = Schedule(cron="0 0 * * *")
print("plain Schedule cron", ok.cron)
