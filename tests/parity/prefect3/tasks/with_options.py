"""Task.with_options makes a copy with changed settings; the original is unchanged.

Exercises Task.with_options(name=..., retries=..., tags=...) (Prefect API: Task)."""
from prefect import flow, task

attempts = {"n": 0}


@task(name="flaky", retries=0)
def flaky():
    attempts["n"] += 1
    if attempts["n"] < 3:
        raise RuntimeError("try again")
    return "ok"


patient = flaky.with_options(name="patient", retries=2, tags=["slow"])
print(flaky.name, flaky.retries, sorted(flaky.tags))
print(patient.name, patient.retries, sorted(patient.tags))


@flow
def run():
    return patient()


print(run(), attempts["n"])
