"""Seed 003, step "rate limit": rate_limit("github-api") inside the flow's loop before each
submitted fetch_stats; no global concurrency limit named github-api was created, so Prefect
warns and goes on.

Exercises prefect.concurrency.sync.rate_limit with a missing limit, Task.submit in a loop.
"""
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from prefect import flow, task  # Prefect flow and task decorators
from prefect.concurrency.sync import rate_limit

STARS = {"PrefectHQ/prefect": 17320, "pydantic/pydantic": 186319}


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

logged = []


class Collect(logging.Handler):
    def emit(self, record):
        msg = record.getMessage()
        if msg.endswith(" stars") or "github-api" in msg:
            logged.append(f"{record.levelname}: {msg}")


logging.getLogger("prefect").addHandler(Collect())


@flow(log_prints=True)
def show_stars(github_repos: list[str]):
    """Flow: Show the number of stars that GitHub repos have"""

    repo_stats = []
    for repo in github_repos:
        # Apply the concurrency limit to this loop
        rate_limit("github-api")

        # Call Task 1
        repo_stats.append({
            'repo': repo,
            'task': fetch_stats.submit(repo)
        })

    for repo in repo_stats:
        # Call Task 2
        stars = get_stars(repo['task'].result())

        # Print the result
        print(f"{repo['repo']}: {stars} stars")


@task
def fetch_stats(github_repo: str):
    """Task 1: Fetch the statistics for a GitHub repo"""
    return httpx.get(f"{API}/repos/{github_repo}").json()


@task
def get_stars(repo_stats: dict):
    """Task 2: Get the number of stars from GitHub repo statistics"""
    return repo_stats['stargazers_count']


if __name__ == "__main__":
    state = show_stars(["PrefectHQ/prefect", "pydantic/pydantic"], return_state=True)
    print("flow state:", state.name)
    for line in logged:
        print(line)
    server.shutdown()
    server.server_close()
