"""The Prefect 3 tutorial's pipeline, on headwater: show the stars of GitHub repos.

Runs offline: it starts a small fake GitHub API on 127.0.0.1 (examples/fake_github.py)
whose answer for one repo fails with 503 the first time, so `fetch_stats` retries.

    python examples/github_stars.py

Compared with the tutorial's final version, only the imports changed (`prefect` ->
`headwater`) and the API address points at the fake server. `fetch_stats` is
cached on its input for a day, as in the tutorial: run the script twice and the
second run reads each repo's statistics from $HEADWATER_HOME/storage
("Finished in state Cached(type=COMPLETED)") instead of calling the API. Still to come:
- `fetch_stats.submit(repo)` with a task runner and `rate_limit("github-api")` arrive
  with the concurrency issues; the calls below run one after another meanwhile.
"""

from __future__ import annotations

from datetime import timedelta

import httpx

from headwater import flow, task
from headwater.cache_policies import INPUTS

# Where the API lives; the tutorial calls https://api.github.com, __main__ below
# points it at the fake server. Kept out of the task's arguments so that the cache,
# keyed on inputs, does not change with the fake server's port.
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


@task(retries=3, cache_policy=INPUTS, cache_expiration=timedelta(days=1))
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
