"""Prefect 3 README / welcome example: a task with log_prints fetches each repo's star count from
a local stand-in of the GitHub API; the flow has a custom name and runs the task in a loop.

Exercises @flow(name=...), @task(log_prints=True), sequential task calls, flow name in runtime.
"""
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from prefect import flow, task
from prefect.runtime import flow_run

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
        if msg.endswith("stars!"):
            logged.append((record.name, msg))


logging.getLogger("prefect").addHandler(Collect())


@task(log_prints=True)
def get_stars(repo: str):
    url = f"{API}/repos/{repo}"
    count = httpx.get(url).json()["stargazers_count"]
    print(f"{repo} has {count} stars!")


@flow(name="GitHub Stars")
def github_stars(repos: list[str]):
    for repo in repos:
        get_stars(repo)
    return flow_run.flow_name


if __name__ == "__main__":
    print("flow name:", github_stars.name)
    print("runtime flow name:", github_stars(["PrefectHQ/prefect", "pydantic/pydantic"]))
    for logger_name, line in logged:
        print(logger_name, "|", line)
    server.shutdown()
    server.server_close()
