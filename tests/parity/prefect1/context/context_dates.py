"""prefect.context exposes the run's date as strings (today, tomorrow, yesterday, today_nodash).

Exercises context date keys during flow.run() (docs-v1: api/latest/utilities/context).
"""
import datetime
import logging
import sys

import prefect
from prefect import Flow, task

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)


@task
def dates():
    ctx = prefect.context
    return ctx.get("today"), ctx.get("tomorrow"), ctx.get("yesterday"), ctx.get("today_nodash")


with Flow("dates") as flow:
    d = dates()

state = flow.run()
today, tomorrow, yesterday, nodash = state.result[d].result
day = datetime.date.fromisoformat(today)
print(len(today), nodash == today.replace("-", ""))
print(datetime.date.fromisoformat(tomorrow) - day == datetime.timedelta(days=1))
print(day - datetime.date.fromisoformat(yesterday) == datetime.timedelta(days=1))
