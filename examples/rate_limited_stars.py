"""The Prefect 3 tutorial's rate-limited stars pipeline, on headwater.

Fetches the stats of GitHub repos concurrently (`fetch_stats.submit`) while a rate
limit paces the requests, as the tutorial's "rate limit" step does. Runs offline
against the fake GitHub API of examples/fake_github.py.

    python examples/rate_limited_stars.py

The tutorial creates the limit once from the shell:

    headwater gcl create github-api --limit 60 --slot-decay-per-second 0.016

(GitHub allows 60 unauthenticated requests an hour, about 0.016 a second). This
script creates it through the Python API if it is missing, so it runs as is. Each
run takes 3 of the 60 slots; they flow back at 0.016 a second, so run it 20 times
within a few minutes and the 21st waits, saying so:
"waiting for 1 slot of 'github-api' (60/60 in use)".
"""

from __future__ import annotations

import httpx

from headwater import flow, task
from headwater.concurrency import limits
from headwater.concurrency.sync import rate_limit

GITHUB_API = "https://api.github.com"  # __main__ points it at the fake server

REPOS = ["PrefectHQ/prefect", "pydantic/pydantic", "huggingface/transformers"]


@flow(log_prints=True)
def show_stars(github_repos: list[str]) -> None:
    """Flow: Show the number of stars that GitHub repos have"""

    # Task 1: Make HTTP requests concurrently while respecting the rate limit
    repo_stats = []
    for repo in github_repos:
        rate_limit("github-api")
        repo_stats.append({
            "repo": repo,
            "task": fetch_stats.submit(repo),  # Submit each task to a task runner
        })

    # Task 2: Once each concurrent task completes, show the results
    for repo in repo_stats:
        repo_name = repo["repo"]
        stars = get_stars(repo["task"].result())  # Block until the task has completed
        print(f"{repo_name}: {stars} stars")


@task(retries=3)
def fetch_stats(github_repo: str) -> dict:
    """Task 1: Fetch the statistics for a GitHub repo"""
    api_response = httpx.get(f"{GITHUB_API}/repos/{github_repo}")
    api_response.raise_for_status()  # Force a retry if you don't get a 2xx status code
    return api_response.json()


@task
def get_stars(repo_stats: dict) -> int:
    """Task 2: Get the number of stars from GitHub repo statistics"""
    return repo_stats["stargazers_count"]


if __name__ == "__main__":
    from fake_github import DEFAULT_STARS, serve_fake_github

    limits.create_limit("github-api", 60, slot_decay_per_second=0.016, exist_ok=True)
    with serve_fake_github(DEFAULT_STARS, flaky=["pydantic/pydantic"]) as api_url:
        GITHUB_API = api_url
        show_stars(REPOS)
