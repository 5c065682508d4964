"""Custom state names are kept while the type decides behaviour: Completed(name="Skipped").

Exercises State(name=...) returned from tasks and flows (Prefect docs: states, "Return custom states")."""
from prefect import flow, task
from prefect.states import Completed, Failed


@task
def maybe(x: int):
    if x == 0:
        return Completed(name="Skipped", message="nothing to do")
    return x


@flow
def run():
    skipped = maybe(0, return_state=True)
    print(skipped.name, skipped.type.value, skipped.message, skipped.is_completed())
    done = maybe(3, return_state=True)
    print(done.name, done.result())
    return Completed(name="AllGood", message="custom final")


final = run(return_state=True)
print(final.name, final.type.value, final.message)

custom_failed = Failed(name="Rejected")
print(custom_failed.name, custom_failed.type.value, custom_failed.is_failed())
