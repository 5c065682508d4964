"""headwater.schedules: Prefect 1's clocks / filters / adjustments and Prefect 3's Cron / Interval / RRule."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest

from headwater.core import schedules as core
from headwater.schedules import Cron, CronSchedule, Interval, IntervalSchedule, RRule, Schedule, adjustments, clocks, filters

UTC = timezone.utc


def test_interval_schedule_times_are_strictly_after_and_stop_at_the_end_date() -> None:
    start = datetime(2022, 6, 3, 20, tzinfo=UTC)
    schedule = IntervalSchedule(start_date=start, interval=timedelta(hours=6))
    assert [d.isoformat() for d in schedule.next(2, after=datetime(2022, 6, 3, 21, tzinfo=UTC))] == [
        "2022-06-04T02:00:00+00:00", "2022-06-04T08:00:00+00:00"]
    ended = IntervalSchedule(start_date=start, interval=timedelta(days=1), end_date=start + timedelta(days=2))
    assert ended.next(10, after=start) == [start + timedelta(days=1), start + timedelta(days=2)]


def test_clocks_merge_with_their_parameter_defaults_and_filters_and_adjustments_apply() -> None:
    start = datetime(2022, 1, 3, tzinfo=UTC)  # a Monday
    schedule = Schedule(clocks=[
        clocks.IntervalClock(timedelta(days=1), start_date=start + timedelta(hours=8), parameter_defaults={"k": "am"}),
        clocks.IntervalClock(timedelta(days=1), start_date=start + timedelta(hours=20), parameter_defaults={"k": "pm"}),
    ], filters=[filters.is_weekday, filters.between_times(time(7), time(21))], adjustments=[adjustments.add(timedelta(minutes=5))])
    events = schedule.next(3, after=start, return_events=True)
    assert [(e.start_time.strftime("%a %H:%M"), e.parameter_defaults["k"]) for e in events] == [
        ("Mon 08:05", "am"), ("Mon 20:05", "pm"), ("Tue 08:05", "am")]


def test_cron_schedule_and_invalid_cron() -> None:
    schedule = CronSchedule("30 9 * * 1-5", start_date=datetime(2022, 1, 1, tzinfo=UTC))
    assert [d.isoformat() for d in schedule.next(2, after=datetime(2022, 1, 1, tzinfo=UTC))] == [
        "2022-01-03T09:30:00+00:00", "2022-01-04T09:30:00+00:00"]
    with pytest.raises(ValueError):
        clocks.CronClock("not a cron")


def test_prefect3_schedules_convert_to_headwaters_own() -> None:
    assert Cron("0 9 * * *", timezone="Europe/Paris").to_core() == core.CronSchedule("0 9 * * *", "Europe/Paris")
    interval = Interval(60, anchor_date=datetime(2024, 1, 1, tzinfo=UTC))
    assert interval.interval == timedelta(seconds=60)
    assert interval.to_core() == core.IntervalSchedule(60.0, anchor=datetime(2024, 1, 1, tzinfo=UTC).timestamp())
    assert RRule("FREQ=DAILY").to_core() == core.RRuleSchedule("FREQ=DAILY")
    with pytest.raises(ValueError, match="Only one schedule type"):
        Schedule(cron="* * * * *", interval=timedelta(hours=1))
