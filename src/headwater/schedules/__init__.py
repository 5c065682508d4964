"""Schedules at Prefect's `prefect.schedules` path, for both Prefect versions.

Prefect 1: `Schedule(clocks=..., filters=...)`, `IntervalSchedule`, `CronSchedule`, `RRuleSchedule`, and the
submodules `clocks`, `filters`, `adjustments`, `schedules` (a static flow with one runs
at its times on `flow.run()`). Prefect 3: `Cron`, `Interval`, `RRule`, `Schedule(cron=...)`
for deployments.
"""

from headwater.schedules import adjustments, clocks, filters, schedules
from headwater.schedules.schedules import (
    Cron, CronSchedule, Interval, IntervalSchedule, RRule, RRuleSchedule, Schedule,
)

__all__ = ["Cron", "CronSchedule", "Interval", "IntervalSchedule", "RRule", "RRuleSchedule", "Schedule", "adjustments", "clocks",
           "filters", "schedules"]
