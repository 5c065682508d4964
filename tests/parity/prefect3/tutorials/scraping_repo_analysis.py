"""Prefect 3 scraping tutorial, final repo_analysis.py: retries, task_input_hash caching with a
1-hour expiration, rate_limit, a task calling a task (comments), response-time and resolution
metrics; analysed twice so the second pass is served from the cache (local GitHub stand-in).

Exercises prefect.tasks.task_input_hash, cache_key_fn, nested task calls, subflows, statistics.
"""
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from datetime import timedelta, datetime
from statistics import mean
from typing import List, Optional

import httpx

from prefect import flow, task
from prefect.tasks import task_input_hash
from prefect.concurrency.sync import rate_limit

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
    for repo in repos:
        print(f"Analyzing {repo}...")

        # Fetch and analyze all issues
        issues = fetch_repo_issues(repo)

        # Calculate metrics
        avg_response_time = calculate_response_times(issues)
        resolution_rate = calculate_resolution_rate(issues)

        print(f"Average response time: {avg_response_time:.1f} hours")
        print(f"Resolution rate: {resolution_rate:.1f}%")


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


@task(log_prints=True, retries=3, cache_key_fn=task_input_hash, cache_expiration=timedelta(hours=1))
def fetch_page_of_issues(repo: str, page: int = 1) -> Optional[dict]:
    """Fetch a page of issues for a GitHub repository"""
    rate_limit("github-api")
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


@task(retries=3, cache_key_fn=task_input_hash, cache_expiration=timedelta(hours=1))
def fetch_issue_details(repo: str, issue_number: int) -> dict:
    """Fetch detailed information about a specific issue"""
    rate_limit("github-api")
    response = httpx.get(f"{API}/repos/{repo}/issues/{issue_number}")
    issue_data = response.json()

    # Fetch comments for the issue
    comments = fetch_comments(issue_data['comments_url'])
    issue_data['comments_data'] = comments
    return issue_data


@task(log_prints=True, retries=3, cache_key_fn=task_input_hash, cache_expiration=timedelta(hours=1))
def fetch_comments(comments_url: str) -> List[dict]:
    """Fetch comments for an issue"""
    rate_limit("github-api")
    try:
        response = httpx.get(comments_url)
        response.raise_for_status()
        return response.json()
    except Exception as e:
        print(f"Error fetching comments: {type(e).__name__}")
        return []


@task
def calculate_response_times(issues: List[dict]) -> float:
    """Calculate average time to first response for issues"""
    response_times = []
    for issue in issues:
        comments_data = issue.get('comments_data', [])
        if comments_data:  # If there are comments
            created = datetime.fromisoformat(issue['created_at'].replace('Z', '+00:00'))
            first_comment = datetime.fromisoformat(
                comments_data[0]['created_at'].replace('Z', '+00:00')
            )
            response_time = (first_comment - created).total_seconds() / 3600
            response_times.append(response_time)

    return mean(response_times) if response_times else 0


@task
def calculate_resolution_rate(issues: List[dict]) -> float:
    """Calculate the percentage of closed issues"""
    if not issues:
        return 0
    closed = sum(1 for issue in issues if issue['state'] == 'closed')
    return (closed / len(issues)) * 100


if __name__ == "__main__":
    repos = ["PrefectHQ/prefect", "pydantic/pydantic", "huggingface/transformers"]
    for attempt in (1, 2):
        state = analyze_repo_health(repos, return_state=True)
        print(f"pass {attempt}: flow state {state.name}, requests so far {len(hits)}")
    for line in logged:
        print("logged:", line)
    server.shutdown()
    server.server_close()
