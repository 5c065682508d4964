"""result() of states that are not final: the exception class and message users see."""
from prefect.exceptions import PausedRun, UnfinishedRun
from prefect.states import Paused, Pending, Running, Scheduled

for state in (Pending(), Running(), Scheduled()):
    try:
        state.result()
    except UnfinishedRun as exc:
        print(type(exc).__name__, exc)
try:
    Paused().result()
except PausedRun as exc:
    print(type(exc).__name__, exc)
