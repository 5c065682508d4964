"""An ordinary exception makes a flow Failed, not Crashed: on_crashed does not run, on_failure does.

Exercises @flow(on_crashed=...) versus on_failure."""
from prefect import flow


def crashed(fl, run, state):
    print("crashed hook")


def failed(fl, run, state):
    print("failure hook")


@flow(on_crashed=[crashed], on_failure=[failed])
def main():
    raise ValueError("ordinary error")


if __name__ == "__main__":
    s = main(return_state=True)
    print(s.type.value)
