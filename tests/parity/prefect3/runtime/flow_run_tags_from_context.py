"""Tags set with the tags() context manager around a flow call appear in flow_run.tags.

Exercises prefect.tags together with prefect.runtime.flow_run.tags."""
from prefect import flow, tags
from prefect.runtime import flow_run


@flow
def main():
    return sorted(flow_run.tags)


if __name__ == "__main__":
    print("no tags", main())
    with tags("etl", "nightly"):
        print("with tags", main())
