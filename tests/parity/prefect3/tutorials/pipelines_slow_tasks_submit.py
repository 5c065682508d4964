"""Seed 003, step "slow tasks": each fetch_stats is submitted to the task runner and its
future's result() is read afterwards in submission order; the API stand-in answers slowly.

Exercises Task.submit(), PrefectFuture.result(), calling a task inside a flow after futures.
"""
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from prefect import flow, task  # Prefect flow and task decorators

STARS = {"PrefectHQ/prefect": 17320, "pydantic/pydantic": 186319, "huggingface/transformers": 134849}
hits = []
lock = threading.Lock()


class SlowGitHub(BaseHTTPRequestHandler):
    def do_GET(self):
        repo = self.path[len("/repos/"):]
        with lock:
            hits.append(repo)
        time.sleep(0.1)  # a slow API
        body = json.dumps({"stargazers_count": STARS[repo]}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), SlowGitHub)
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

    # Task 1: Make HTTP requests concurrently
    repo_stats = []
    for repo in github_repos:
        repo_stats.append({
            'repo': repo,
            'task': fetch_stats.submit(repo)  # Submit each task to a task runner
        })

    # Task 2: Once each concurrent task completes, show the results
    for repo in repo_stats:
        repo_name = repo['repo']
        stars = get_stars(repo['task'].result())  # Block until the task has completed
        print(f"{repo_name}: {stars} stars")
    return [r['task'].state.name for r in repo_stats]


@task
def fetch_stats(github_repo: str):
    """Task 1: Fetch the statistics for a GitHub repo"""
    return httpx.get(f"{API}/repos/{github_repo}").json()


@task
def get_stars(repo_stats: dict):
    """Task 2: Get the number of stars from GitHub repo statistics"""
    return repo_stats['stargazers_count']


if __name__ == "__main__":
    names = show_stars([
        "PrefectHQ/prefect",
        "pydantic/pydantic",
        "huggingface/transformers",
    ])
    print("fetch states:", names)
    for line in printed:
        print("logged:", line)
    print("requests:", sorted(hits))
    server.shutdown()
    server.server_close()
