"""Seed 003, final pipeline "my_data_pipeline.py", run twice as separate processes as the tutorial
does: the first run fetches and caches (retries, INPUTS, 1-day expiration, rate_limit, submit),
the second reads every fetch from the cache. This process serves the API stand-in.

Exercises caching across processes (results persisted under the home directory), rate_limit,
Task.submit + result(), the Cached state name.
"""
import json
import logging
import os
import subprocess
import sys
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from prefect import flow, task
from prefect.cache_policies import INPUTS
from prefect.concurrency.sync import rate_limit

API = os.environ.get("FAKE_GITHUB_API", "")


@flow(log_prints=True)
def show_stars(github_repos: list[str]):
    """Flow: Show the number of stars that GitHub repos have"""

    # Task 1: Make HTTP requests concurrently while respecting concurrency limits
    repo_stats = []
    for repo in github_repos:
        rate_limit("github-api")
        repo_stats.append({
            'repo': repo,
            'task': fetch_stats.submit(repo)  # Submit each task to a task runner
        })

    # Task 2: Once each concurrent task completes, show the results
    for repo in repo_stats:
        repo_name = repo['repo']
        stars = get_stars(repo['task'].result())  # Block until the task has completed
        print(f"{repo_name}: {stars} stars")
    return [repo['task'].state.name for repo in repo_stats]


@task(retries=3, cache_policy=INPUTS, cache_expiration=timedelta(days=1))
def fetch_stats(github_repo: str):
    """Task 1: Fetch the statistics for a GitHub repo"""
    api_response = httpx.get(f"{API}/repos/{github_repo}")
    api_response.raise_for_status()  # Force a retry if you don't get a 2xx status code
    return api_response.json()


@task
def get_stars(repo_stats: dict):
    """Task 2: Get the number of stars from GitHub repo statistics"""
    return repo_stats['stargazers_count']


def child():
    printed = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.getMessage().endswith(" stars"):
                printed.append(record.getMessage())

    logging.getLogger("prefect").addHandler(Collect())
    names = show_stars(["PrefectHQ/prefect", "pydantic/pydantic", "huggingface/transformers"])
    print("fetch states:", names)
    for line in printed:
        print("logged:", line)


STARS = {"PrefectHQ/prefect": 17320, "pydantic/pydantic": 186319, "huggingface/transformers": 134849}
hits = []


class FakeGitHub(BaseHTTPRequestHandler):
    def do_GET(self):
        repo = self.path[len("/repos/"):]
        hits.append(repo)
        if hits.count(repo) == 1:  # one transient failure per repo
            self.send_response(502)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"stargazers_count": STARS[repo]}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeGitHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = dict(os.environ, FAKE_GITHUB_API=f"http://127.0.0.1:{server.server_address[1]}")
    for label in ("Run the tasks and cache the results", "Retrieve the cached results"):
        print("#", label)
        proc = subprocess.run([sys.executable, __file__, "child"], env=env,
                              capture_output=True, text=True, timeout=100)
        print(proc.stdout, end="")
        print("exit code:", proc.returncode, "requests so far:", len(hits))
    server.shutdown()
    server.server_close()


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        child()
    else:
        main()
