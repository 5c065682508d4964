"""Prefect 3 pipelines tutorial, retries: when the API stand-in keeps failing, fetch_stats(retries=3)
gives up after four attempts and the flow run ends Failed.

Exercises @task(retries=...), flow(return_state=True), the final state of the flow and its message.
"""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from prefect import flow, task

hits = []


class AlwaysDown(BaseHTTPRequestHandler):
    def do_GET(self):
        hits.append(self.path)
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), AlwaysDown)
threading.Thread(target=server.serve_forever, daemon=True).start()
API = f"http://127.0.0.1:{server.server_address[1]}"


@task(retries=3)
def fetch_stats(github_repo: str) -> dict[str, Any]:
    """Task 1: Fetch the statistics for a GitHub repo"""
    api_response = httpx.get(f"{API}/repos/{github_repo}")
    api_response.raise_for_status()
    return api_response.json()


@task
def get_stars(repo_stats: dict[str, Any]) -> int:
    """Task 2: Get the number of stars from GitHub repo statistics"""
    return repo_stats["stargazers_count"]


@flow(log_prints=True)
def show_stars(github_repos: list[str]):
    """Flow: Show the number of stars that GitHub repos have"""
    for repo in github_repos:
        repo_stats = fetch_stats(repo)
        stars = get_stars(repo_stats)
        print(f"{repo}: {stars} stars")


if __name__ == "__main__":
    state = show_stars(["PrefectHQ/prefect", "pydantic/pydantic"], return_state=True)
    print("flow state:", state.type.value, state.name, state.is_failed())
    try:
        state.result()
    except httpx.HTTPStatusError as exc:
        print("result() raised HTTPStatusError, status", exc.response.status_code)
    print("requests:", hits)
    server.shutdown()
    server.server_close()
