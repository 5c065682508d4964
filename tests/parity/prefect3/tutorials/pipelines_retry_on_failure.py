"""Seed 003 and the Prefect 3 pipelines tutorial, step "retries": fetch_stats(retries=3) against a
local stand-in for the GitHub API that answers 503 to the first request for each repo.

Exercises @task(retries=...), raise_for_status() as the retry trigger, @flow(log_prints=True).
"""
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from prefect import flow, task  # Prefect flow and task decorators

STARS = {"PrefectHQ/prefect": 17320, "pydantic/pydantic": 186319, "huggingface/transformers": 134849}
hits = []


class FakeGitHub(BaseHTTPRequestHandler):
    def do_GET(self):
        repo = self.path[len("/repos/"):]
        hits.append(repo)
        if hits.count(repo) == 1:  # the first request for each repo fails
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"full_name": repo, "stargazers_count": STARS[repo]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
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
        if msg.endswith(" stars"):
            printed.append(msg)


logging.getLogger("prefect").addHandler(Collect())


@task(retries=3)
def fetch_stats(github_repo: str) -> dict[str, Any]:
    """Task 1: Fetch the statistics for a GitHub repo"""
    api_response = httpx.get(f"{API}/repos/{github_repo}")
    api_response.raise_for_status()  # a non-2xx answer fails the run, so it is retried
    return api_response.json()


@task
def get_stars(repo_stats: dict[str, Any]) -> int:
    """Task 2: Get the number of stars from GitHub repo statistics"""
    return repo_stats['stargazers_count']


@flow(log_prints=True)
def show_stars(github_repos: list[str]):
    """Flow: Show the number of stars that GitHub repos have"""
    for repo in github_repos:
        repo_stats = fetch_stats(repo)
        stars = get_stars(repo_stats)
        print(f"{repo}: {stars} stars")


if __name__ == "__main__":
    result = show_stars([
        "PrefectHQ/prefect",
        "pydantic/pydantic",
        "huggingface/transformers",
    ])
    print("flow returned", result)
    for line in printed:
        print("logged:", line)
    print("requests:", hits)
    server.shutdown()
    server.server_close()
