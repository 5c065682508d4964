"""Prefect 3 pipelines tutorial, "concurrent execution": fetch_stats.map over the repos, then
get_stars.map over the futures, and .result() on the returned future list.

Exercises Task.map, mapping over a PrefectFutureList, PrefectFutureList.result(), ordering of results.
"""
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from prefect import flow, task

STARS = {"PrefectHQ/prefect": 17320, "pydantic/pydantic": 186319, "huggingface/transformers": 134849}


class FakeGitHub(BaseHTTPRequestHandler):
    def do_GET(self):
        repo = self.path[len("/repos/"):]
        body = json.dumps({"stargazers_count": STARS[repo]}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
threading.Thread(target=server.serve_forever, daemon=True).start()
API = f"http://127.0.0.1:{server.server_address[1]}"

printed = []


class Collect(logging.Handler):
    def emit(self, record):
        msg = record.getMessage()
        if msg.endswith(" stars") or msg.startswith("type of"):
            printed.append(msg)


logging.getLogger("prefect").addHandler(Collect())


@task(retries=3)
def fetch_stats(github_repo: str) -> dict[str, Any]:
    """Task 1: Fetch the statistics for a GitHub repo"""
    return httpx.get(f"{API}/repos/{github_repo}").json()


@task
def get_stars(repo_stats: dict[str, Any]) -> int:
    """Task 2: Get the number of stars from GitHub repo statistics"""
    return repo_stats["stargazers_count"]


@flow(log_prints=True)
def show_stars(github_repos: list[str]) -> None:
    """Flow: Show number of GitHub repo stars"""
    stats_futures = fetch_stats.map(github_repos)
    stars = get_stars.map(stats_futures).result()
    print("type of stars:", type(stars).__name__)
    for repo, star_count in zip(github_repos, stars):
        print(f"{repo}: {star_count} stars")


if __name__ == "__main__":
    out = show_stars(["PrefectHQ/prefect", "pydantic/pydantic", "huggingface/transformers"])
    print("flow returned", out)
    for line in printed:
        print("logged:", line)
    server.shutdown()
    server.server_close()
