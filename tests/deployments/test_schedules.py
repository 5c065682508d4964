"""Schedules are pure: the next instants for a given `now`, right across DST changes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from headwater.core.schedules import (
    CronSchedule,
    IntervalSchedule,
    RRuleSchedule,
    ScheduleError,
    instants_between,
    iso,
    next_instants,
    schedule_from_dict,
)


def at(*fields: int) -> float:
    return datetime(*fields, tzinfo=timezone.utc).timestamp()  # type: ignore[misc]


def local(schedule: object, instants: list[float]) -> list[str]:
    return [iso(t, schedule.timezone) for t in instants]  # type: ignore[attr-defined]


def test_a_daily_cron_keeps_its_wall_time_and_runs_the_skipped_time_at_the_end_of_the_gap() -> None:
    nightly = CronSchedule("30 2 * * *", timezone="America/New_York")
    assert local(nightly, next_instants(nightly, now=at(2024, 3, 9, 12), count=3)) == [
        "2024-03-10T03:00:00-04:00",  # 02:30 does not exist that night: the clock jumps from 02:00 to 03:00
        "2024-03-11T02:30:00-04:00",
        "2024-03-12T02:30:00-04:00",
    ]


def test_a_daily_cron_runs_once_in_the_repeated_hour_when_clocks_go_back() -> None:
    early = CronSchedule("30 1 * * *", timezone="America/New_York")
    assert local(early, next_instants(early, now=at(2024, 11, 2, 12), count=2)) == [
        "2024-11-03T01:30:00-04:00", "2024-11-04T01:30:00-05:00"]


def test_an_hourly_cron_keeps_elapsed_time_across_both_changes() -> None:
    hourly = CronSchedule("0 * * * *", timezone="Europe/Paris")
    autumn = next_instants(hourly, now=at(2024, 10, 26, 23, 30), count=4)
    assert local(hourly, autumn) == ["2024-10-27T02:00:00+02:00", "2024-10-27T02:00:00+01:00",
                                     "2024-10-27T03:00:00+01:00", "2024-10-27T04:00:00+01:00"]
    assert {b - a for a, b in zip(autumn, autumn[1:])} == {3600.0}
    spring = next_instants(hourly, now=at(2024, 3, 31, 0, 30), count=2)
    assert local(hourly, spring) == ["2024-03-31T03:00:00+02:00", "2024-03-31T04:00:00+02:00"]
    assert spring[0] - at(2024, 3, 31, 0, 30) == 30 * 60  # 02:00 never happens; an hour of time passes


def test_a_daily_interval_in_a_zone_keeps_wall_time_and_other_intervals_keep_elapsed_time() -> None:
    daily = IntervalSchedule(86400, anchor=datetime(2024, 3, 1, 9), timezone="Europe/Paris")
    assert local(daily, next_instants(daily, now=at(2024, 3, 29), count=3)) == [
        "2024-03-29T09:00:00+01:00", "2024-03-30T09:00:00+01:00", "2024-03-31T09:00:00+02:00"]
    every_90 = IntervalSchedule(90, anchor=at(2024, 1, 1))
    assert next_instants(every_90, now=at(2024, 1, 1, 0, 1), count=2) == [at(2024, 1, 1, 0, 1, 30), at(2024, 1, 1, 0, 3)]


def test_rrule_in_a_zone_and_the_round_trip_through_json() -> None:
    mondays = RRuleSchedule("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", timezone="Europe/Paris")
    assert local(mondays, next_instants(mondays, now=at(2024, 3, 20), count=3)) == [
        "2024-03-25T09:00:00+01:00", "2024-04-01T09:00:00+02:00", "2024-04-08T09:00:00+02:00"]
    for schedule in (mondays, CronSchedule("*/5 * * * *"), IntervalSchedule(60, anchor=0.0)):
        assert schedule_from_dict(schedule.to_dict()) == schedule


def test_instants_between_is_inclusive_at_the_end_and_bounded() -> None:
    minutely = CronSchedule("* * * * *")
    assert instants_between(minutely, at(2024, 1, 1), at(2024, 1, 1, 0, 3)) == [
        at(2024, 1, 1, 0, 1), at(2024, 1, 1, 0, 2), at(2024, 1, 1, 0, 3)]
    assert len(instants_between(minutely, at(2024, 1, 1), at(2024, 2, 1), limit=10)) == 10


@pytest.mark.parametrize(("make", "message"), [
    (lambda: CronSchedule("61 * * * *"), "invalid cron expression '61 * * * *'"),
    (lambda: CronSchedule("every day"), "expected 5 fields"),
    (lambda: CronSchedule("0 9 * * *", timezone="Europe/Atlantis"), "unknown timezone 'Europe/Atlantis'"),
    (lambda: IntervalSchedule(0), "invalid interval 0"),
    (lambda: RRuleSchedule("FREQ=SOMETIMES"), "invalid rrule 'FREQ=SOMETIMES'"),
    (lambda: schedule_from_dict({"kind": "weekly"}), "unknown schedule kind 'weekly'"),
])
def test_bad_schedules_are_one_clear_error(make: object, message: str) -> None:
    with pytest.raises(ScheduleError, match=message.replace("*", r"\*").replace("(", r"\(")):
        make()  # type: ignore[operator]
