"""Optional, Union and datetime parameters: ISO strings become datetime objects.

Exercises coercion of Optional/Union/datetime/date parameters (Prefect docs: flows, "Parameters")."""
import datetime
from typing import Optional, Union

from prefect import flow


@flow
def when(at: datetime.datetime, day: datetime.date, maybe: Optional[int] = None, either: Union[int, str] = 0):
    return type(at).__name__, at.isoformat(), type(day).__name__, day.isoformat(), maybe, either


print(when("2024-03-01T12:30:00", "2024-03-02"))
print(when(datetime.datetime(2020, 1, 1), datetime.date(2020, 1, 2), maybe="4", either="word"))
print(when("2024-03-01T00:00:00+00:00", "2024-03-02", either="5"))
