"""The blog's GitHub trending flow, with the download replaced by local data (no network): the CSV is
written in the current directory. Exercises Parameter -> task -> task -> task chains (seed 000).
"""
import csv
import logging
import sys

from prefect import task, Flow, Parameter

# Prefect 1 writes its console log to stdout; move it to stderr so stdout holds only prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

FAKE_TRENDING = {
    "daily": {"items": [
        {"repo": "a/one", "repo_link": "https://github.com/a/one", "stars": 10, "forks": 1, "added_stars": 3, "lang": "py"},
        {"repo": "b/two", "repo_link": "https://github.com/b/two", "stars": 20, "forks": 2, "added_stars": 5, "lang": "go"},
    ]},
    "weekly": {"items": [
        {"repo": "c/three", "repo_link": "https://github.com/c/three", "stars": 30, "forks": 3, "added_stars": 7, "lang": "rs"},
    ]},
}


@task
def download_data(since):
    return FAKE_TRENDING[since]


@task
def handle_data(data):
    return [i for i in data["items"]]


@task
def save_data(rows):
    headers = ["repo", "repo_link", "stars", "forks", "added_stars"]
    with open("trending.csv", "w", newline="") as f:
        f_csv = csv.DictWriter(f, headers, extrasaction='ignore')
        f_csv.writeheader()
        f_csv.writerows(rows)
    return len(rows)


with Flow("GitHub_Trending_Flow") as flow:
    since = Parameter("since")
    data = download_data(since)
    rows = handle_data(data)
    saved = save_data(rows)

for period in ("daily", "weekly"):
    state = flow.run(since=period)
    print(period, type(state).__name__, state.result[saved].result)
    with open("trending.csv") as f:
        print(f.read().strip())
state = flow.run(since="monthly")
print(type(state).__name__, type(state.result[data]).__name__, type(state.result[saved]).__name__)
