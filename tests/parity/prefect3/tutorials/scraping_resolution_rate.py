"""Prefect 3 scraping tutorial, "nested flows and tasks": the nested flow returns the issue
details and a task computes the share of closed issues per repo (local GitHub stand-in).

Exercises a subflow's return value passed to a task, float results, log_prints formatting.
"""
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from typing import List, Optional

import httpx

from prefect import flow, task

# A stand-in for the part of the GitHub API the tutorial reads: issue pages (3 per page),
# one issue's details, and its comments. Unknown repos answer 404.
ISSUES = {
    "PrefectHQ/prefect": [
        {"number": n, "state": "closed" if n % 2 else "open",
         "created_at": f"2024-05-0{n}T10:00:00Z", "first_reply_hours": n}
        for n in range(1, 8)
    ],
    "pydantic/pydantic": [
        {"number": 1, "state": "closed", "created_at": "2024-06-01T00:00:00Z", "first_reply_hours": 3},
        {"number": 2, "state": "closed", "created_at": "2024-06-02T00:00:00Z", "first_reply_hours": 0},
    ],
    "huggingface/transformers": [],
}
PER_PAGE = 3
hits = []
hits_lock = threading.Lock()


def issue_json(repo, issue, base):
    return {"number": issue["number"], "state": issue["state"], "created_at": issue["created_at"],
            "comments_url": f"{base}/repos/{repo}/issues/{issue['number']}/comments"}


class FakeGitHub(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlsplit(self.path)
        with hits_lock:
            hits.append(url.path)
        parts = url.path.strip("/").split("/")  # repos, owner, name, issues[, n[, comments]]
        repo = "/".join(parts[1:3])
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        if repo not in ISSUES:
            return self.reply(404, {"message": "Not Found"})
        issues = ISSUES[repo]
        if len(parts) == 4:
            page = int(parse_qs(url.query).get("page", ["1"])[0])
            chunk = issues[(page - 1) * PER_PAGE: page * PER_PAGE]
            return self.reply(200, [issue_json(repo, i, base) for i in chunk])
        issue = issues[int(parts[4]) - 1]
        if len(parts) == 5:
            return self.reply(200, dict(issue_json(repo, issue, base), comments=1))
        hours = issue["first_reply_hours"]
        if not hours:
            return self.reply(200, [])
        created = issue["created_at"].replace("T00", f"T{hours:02d}").replace("T10", f"T{10 + hours:02d}")
        return self.reply(200, [{"created_at": created, "body": "thanks"}])

    def reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
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
    """Keeps what the flows and tasks print (log_prints) and nothing the engine says."""

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith(("Analyzing", "Error", "Resolution", "Average", "Analyzed")):
            logged.append(msg)


logging.getLogger("prefect").addHandler(Collect())


@flow(log_prints=True)
def analyze_repo_health(repos: List[str]):
    """Analyze issue health metrics for GitHub repositories"""
    rates = {}
    for repo in repos:
        print(f"Analyzing {repo}...")

        # Fetch and analyze all issues
        issues = fetch_repo_issues(repo)

        # Calculate metrics
        resolution_rate = calculate_resolution_rate(issues)
        print(f"Resolution rate: {resolution_rate:.1f}%")
        rates[repo] = resolution_rate
    return rates


@flow
def fetch_repo_issues(repo: str):
    """Fetch all issues for a single repository"""
    all_issues = []
    page = 1
    for page in range(1, 3):  # Limit to 2 pages to avoid hitting rate limits
        issues = fetch_page_of_issues(repo, page)
        if not issues or len(issues) == 0:
            break
        all_issues.extend(issues)
        page += 1

    issue_details = []
    for issue in all_issues[:5]:  # Limit to 5 issues to avoid hitting rate limits
        issue_details.append(
            fetch_issue_details.submit(repo, issue['number'])  # Submit each task to a task runner
        )

    details = []
    for issue in issue_details:
        details.append(issue.result())

    return details


@task(log_prints=True)
def fetch_page_of_issues(repo: str, page: int = 1) -> Optional[dict]:
    """Fetch a page of issues for a GitHub repository"""
    try:
        response = httpx.get(
            f"{API}/repos/{repo}/issues",
            params={"page": page, "state": "all", "per_page": 100}
        )
        response.raise_for_status()  # Raise an exception if the response is not a 2xx status code
        return response.json()
    except Exception as e:
        print(f"Error fetching issues for {repo}: {type(e).__name__}")
        return None


@task
def fetch_issue_details(repo: str, issue_number: int) -> dict:
    """Fetch detailed information about a specific issue"""
    response = httpx.get(f"{API}/repos/{repo}/issues/{issue_number}")
    issue_data = response.json()
    return issue_data


@task
def calculate_resolution_rate(issues: List[dict]) -> float:
    """Calculate the percentage of closed issues"""
    if not issues:
        return 0
    closed = sum(1 for issue in issues if issue['state'] == 'closed')
    return (closed / len(issues)) * 100


if __name__ == "__main__":
    state = analyze_repo_health([
        "PrefectHQ/prefect",
        "pydantic/pydantic",
        "huggingface/transformers"
    ], return_state=True)
    print("flow state:", state.name)
    for line in logged:
        print("logged:", line)
    print("requests:", len(hits))
    server.shutdown()
    server.server_close()
    print("rates:", state.result())
