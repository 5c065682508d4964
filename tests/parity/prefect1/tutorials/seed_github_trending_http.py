"""Seed 000 (Prefect 1 blog), GitHub trending flow: download_data calls requests.get(URL, params)
on a local http.server standing in for the trending API, handle_data picks the items, save_data
writes a CSV (in the current directory instead of /tmp); registering needs a server, so the flow's
structure is printed instead.

Exercises a Parameter -> task chain, requests in a task, flow.run(since=...), flow.tasks/edges.
"""
import csv
import json
import logging
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from prefect import task, Flow, Parameter
import requests

# Prefect 1 prints its console log on stdout; send it to stderr so stdout holds only our prints.
for _handler in logging.getLogger("prefect").handlers:
    if getattr(_handler, "stream", None) is sys.stdout:
        _handler.setStream(sys.stderr)

TRENDING = {
    "daily": [
        {"repo": "PrefectHQ/prefect", "repo_link": "https://github.com/PrefectHQ/prefect",
         "stars": 17320, "forks": 1600, "added_stars": 42, "lang": "Python"},
        {"repo": "psf/requests", "repo_link": "https://github.com/psf/requests",
         "stars": 50000, "forks": 9000, "added_stars": 7, "lang": "Python"},
    ],
    "weekly": [
        {"repo": "dask/dask", "repo_link": "https://github.com/dask/dask",
         "stars": 12000, "forks": 1700, "added_stars": 150, "lang": "Python"},
    ],
}
queries = []


class FakeTrending(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlsplit(self.path)
        since = parse_qs(url.query)["since"][0]
        queries.append((url.path, since))
        body = json.dumps({"count": len(TRENDING[since]), "items": TRENDING[since]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), FakeTrending)
threading.Thread(target=server.serve_forever, daemon=True).start()
GITHUB_TRENDING_URL = f"http://127.0.0.1:{server.server_address[1]}/repo"


@task
def download_data(since):
    params = {'since': since}
    trending_data = requests.get(GITHUB_TRENDING_URL, params).json()
    return trending_data


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


with Flow("GitHub_Trending_Flow") as flow:
    since = Parameter("since")
    data = download_data(since)
    rows = handle_data(data)
    save_data(rows)

print("flow:", flow.name, sorted(t.name for t in flow.tasks))
print("edges:", sorted((e.upstream_task.name, e.downstream_task.name, e.key) for e in flow.edges))
for period in ("weekly", "daily"):
    state = flow.run(since=period)
    print(period, type(state).__name__, [r["repo"] for r in state.result[rows].result])
    with open("trending.csv") as f:
        print(f.read().strip())
print("queries:", queries)
server.shutdown()
server.server_close()
