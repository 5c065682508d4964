"""The Prefect 3 tutorial's pipeline, on headwater: show the stars of GitHub repos.

Runs offline: it starts a small fake GitHub API on 127.0.0.1 (examples/fake_github.py)
whose answer for one repo fails with 503 the first time, so `fetch_stats` retries.

    python examples/github_stars.py

Compared with the tutorial's final version, only the imports changed (`prefect` ->
`headwater`) and the API address points at the fake server. Still to come:
- TODO(issue 4): `cache_policy=INPUTS, cache_expiration=timedelta(days=1)` on
  `fetch_stats`, once `headwater.cache_policies` exists.
- `fetch_stats.submit(repo)` with a task runner and `rate_limit("github-api")` arrive
  with the concurrency issues; the calls below run one after another meanwhile.
"""

from __future__ import annotations

import httpx

from headwater import flow, task

# Where the API lives; the tutorial calls https://api.github.com, __main__ below
# points it at the fake server. Kept out of the task's arguments so that a cache
# keyed on inputs (see the TODO above) does not change with the fake server's port.
GITHUB_API = "https://api.github.com"

REPOS = ["PrefectHQ/prefect", "pydantic/pydantic", "huggingface/transformers"]


@flow(log_prints=True)
def show_stars(github_repos: list[str]) -> None:
    """Flow: Show the number of stars that GitHub repos have"""
    for repo in github_repos:
        # Call Task 1
        repo_stats = fetch_stats(repo)

        # Call Task 2
        stars = get_stars(repo_stats)

        # Print the result
        print(f"{repo}: {stars} stars")


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

    with serve_fake_github(DEFAULT_STARS, flaky=["pydantic/pydantic"]) as api_url:
        GITHUB_API = api_url
        show_stars(REPOS)
