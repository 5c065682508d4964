"""Seed 003, step "cache": fetch_stats(cache_policy=INPUTS, cache_expiration=1 day) called in a
loop; running the flow a second time reads every result from the cache, so the API stand-in
sees each repo once, and the task's states are named Cached.

Exercises prefect.cache_policies.INPUTS, cache_expiration, return_state=True on a cached call.
"""
import json
import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from prefect import flow, task  # Prefect flow and task decorators
from prefect.cache_policies import INPUTS

STARS = {"PrefectHQ/prefect": 17320, "pydantic/pydantic": 186319, "huggingface/transformers": 134849}
hits = []


class FakeGitHub(BaseHTTPRequestHandler):
    def do_GET(self):
        repo = self.path[len("/repos/"):]
        hits.append(repo)
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
        if msg.endswith(" stars"):
            printed.append(msg)


logging.getLogger("prefect").addHandler(Collect())


@flow(log_prints=True)
def show_stars(github_repos: list[str]):
    """Flow: Show the number of stars that GitHub repos have"""

    for repo in github_repos:
        # Call Task 1
        repo_stats = fetch_stats(repo)

        # Call Task 2
        stars = get_stars(repo_stats)

        # Print the result
        print(f"{repo}: {stars} stars")


@task(cache_policy=INPUTS, cache_expiration=timedelta(days=1))
def fetch_stats(github_repo: str):
    """Task 1: Fetch the statistics for a GitHub repo"""
    return httpx.get(f"{API}/repos/{github_repo}").json()


@task
def get_stars(repo_stats: dict):
    """Task 2: Get the number of stars from GitHub repo statistics"""
    return repo_stats['stargazers_count']


@flow
def fetch_states(github_repos: list[str]):
    return [fetch_stats(repo, return_state=True) for repo in github_repos]


if __name__ == "__main__":
    repos = ["PrefectHQ/prefect", "pydantic/pydantic", "huggingface/transformers"]
    show_stars(repos)
    print("after first run, requests:", len(hits))
    show_stars(repos)
    print("after second run, requests:", len(hits))
    states = fetch_states(repos + ["PrefectHQ/prefect"])
    print("states:", [s.name for s in states], [s.is_completed() for s in states])
    print("results:", [s.result()["stargazers_count"] for s in states])
    print("requests in the end:", len(hits))
    for line in printed:
        print("logged:", line)
    server.shutdown()
    server.server_close()
