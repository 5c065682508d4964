"""Prefect 3.0 quickstart (my_gh_workflow.py): get_repo_info(retries=2) and get_contributors tasks
in a log_prints flow with default parameters; the GitHub API is a local stand-in whose repo
endpoint fails once, and the contributors list is read from the URL the repo answer gives.

Exercises @task(retries=2), flow parameter defaults, a task result feeding the next task.
"""
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx  # an HTTP client library and dependency of Prefect

from prefect import flow, task

hits = []


class FakeGitHub(BaseHTTPRequestHandler):
    def do_GET(self):
        hits.append(self.path)
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if self.path == "/repos/PrefectHQ/prefect":
            if hits.count(self.path) == 1:
                return self.reply(500, {"message": "try again"})
            return self.reply(200, {"stargazers_count": 17320,
                                    "contributors_url": f"{base}/repos/PrefectHQ/prefect/contributors"})
        if self.path == "/repos/PrefectHQ/prefect/contributors":
            return self.reply(200, [{"login": f"dev{n}"} for n in range(30)])
        return self.reply(404, {"message": "Not Found"})

    def reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
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
        if msg.startswith(("Stars", "Number of contributors")):
            logged.append(msg)


logging.getLogger("prefect").addHandler(Collect())


@task(retries=2)
def get_repo_info(repo_owner: str, repo_name: str):
    """Get info about a repo - will retry twice after failing"""
    url = f"{API}/repos/{repo_owner}/{repo_name}"
    api_response = httpx.get(url)
    api_response.raise_for_status()
    repo_info = api_response.json()
    return repo_info


@task
def get_contributors(repo_info: dict):
    """Get contributors for a repo"""
    contributors_url = repo_info["contributors_url"]
    response = httpx.get(contributors_url)
    response.raise_for_status()
    contributors = response.json()
    return contributors


@flow(log_prints=True)
def log_repo_info(repo_owner: str = "PrefectHQ", repo_name: str = "prefect"):
    """Logs the number of stargazers and contributors of a GitHub repository."""
    repo_info = get_repo_info(repo_owner, repo_name)
    print(f"Stars 🌠 : {repo_info['stargazers_count']}")

    contributors = get_contributors(repo_info)
    print(f"Number of contributors 👷: {len(contributors)}")


if __name__ == "__main__":
    log_repo_info()
    print("requests:", hits)
    state = log_repo_info("PrefectHQ", "missing", return_state=True)
    print("missing repo:", state.type.value, state.name)
    for line in logged:
        print("logged:", line)
    server.shutdown()
    server.server_close()
