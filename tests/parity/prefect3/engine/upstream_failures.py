"""A task whose upstream failed, through a data dependency or wait_for: its state type
and name (Prefect 3 leaves it Pending, NotReady), whether it ran, what result() raises,
and what a direct call with the failed future raises."""
from prefect import flow, task

ran = []


@task
def boom():
    raise ValueError("upstream broke")


@task
def downstream(x=None):
    ran.append(x)
    return "ran"


@flow
def main():
    bad = boom.submit()
    by_data = downstream.submit(bad)
    by_wait = downstream.submit(wait_for=[bad])
    chained = downstream.submit(by_data)
    for label, f in (("data", by_data), ("wait_for", by_wait), ("chained", chained)):
        f.wait()
        s = f.state
        print(label, s.type.value, s.name)
        try:
            print("  result", f.result())
        except Exception as exc:
            print("  raised", type(exc).__name__)
    try:
        downstream(bad)
    except Exception as exc:
        print("direct call raised", type(exc).__name__)
    s = downstream(bad, return_state=True)
    print("direct state", s.type.value, s.name)
    return len(ran)


print(main())
