"""A Prefect 1 style flow the UI tests register (embedded mode, into the server's SQLite
file) and never run: `python ui_static_flow.py` prints the deployment's id."""

from __future__ import annotations

from headwater import Flow, Parameter, task


@task
def download_data(since: str) -> list:
    return [since]


@task
def handle_data(rows: list) -> list:
    return rows


@task
def save_data(rows: list) -> None:
    return None


@task
def announce(channel: str) -> str:
    return channel


with Flow("GitHub_Trending_Static") as flow:
    since = Parameter("since", default="daily")
    saved = save_data(handle_data(download_data(since)))
    announce.map(["slack", "mail"], upstream_tasks=[saved])

if __name__ == "__main__":
    print(flow.register(project_name="Static_UI", create_project=True), flush=True)
