"""Checking out a git repository at a branch or commit, through the `git` command line,
into a cache of checkouts keyed by commit.

    checkout = check_out("file:///srv/git/etl.git", branch="main", cache=home / "code")
    checkout.directory   # .../code/etl-3f2a9c1d/<commit sha>
    checkout.commit      # the commit it holds

Each call first asks the repository which commit the branch (or its default branch)
points at (`git ls-remote`): a new commit pushed since the last run is what the next
run gets. A commit already checked out is reused as it is; otherwise it is cloned
(shallow, one branch) into a temporary directory beside the cache and renamed into
place, so a half-made checkout is never used and two runs cloning the same commit at
once both end up with one good copy. A missing branch or commit, an unreachable or
unknown repository, and a missing `git` each raise `GitError` saying which and what
to do, before any flow code runs. Credentials are put into the URL only for the
`git` process and never appear in messages.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse, urlunparse

from headwater.exceptions import HeadwaterError

__all__ = ["Checkout", "GitError", "check_out", "redact", "repository_name", "url_with_credentials"]

_GIT_TIMEOUT_S = 600.0
_SHA = re.compile(r"^[0-9a-fA-F]{4,64}$")


class GitError(HeadwaterError, RuntimeError):
    """A repository cannot be checked out as asked (the message says why and what to do)."""


@dataclass(frozen=True)
class Checkout:
    """A commit of a repository checked out on this machine."""

    url: str
    commit: str
    directory: Path


def repository_name(url: str) -> str:
    """The repository's name from its URL: `https://host/org/etl.git` -> `etl`."""
    path = urlparse(url).path if "://" in url else url.rpartition(":")[2]
    name = path.rstrip("/").split("/")[-1]
    return name[:-4] if name.endswith(".git") else name or "repository"


def url_with_credentials(url: str, credentials: dict[str, Any] | None) -> str:
    """The URL with `username`/`access_token` (or `token`, `password`) put in for an
    https URL; other URLs (file://, ssh) are returned as they are."""
    if not credentials:
        return url
    token: Any = credentials.get("access_token") or credentials.get("token") or credentials.get("password")
    if token is not None and hasattr(token, "get"):  # a Secret block
        token = token.get()
    parsed = urlparse(url)
    if not token or parsed.scheme not in ("http", "https"):
        return url
    username = credentials.get("username")
    auth = f"{quote(str(username), safe='')}:{quote(str(token), safe='')}" if username else quote(str(token), safe="")
    return urlunparse(parsed._replace(netloc=f"{auth}@{parsed.hostname}" + (
        f":{parsed.port}" if parsed.port else "")))


def redact(text: str, *secrets: str) -> str:
    """`text` without credentials: userinfo in URLs and each of `secrets`."""
    text = re.sub(r"(\w+://)[^/@\s]+@", r"\1", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def _git(args: list[str], *, cwd: Path | None = None, url: str, secrets: tuple[str, ...] = ()) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "echo"}  # never wait for a password
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=_GIT_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise GitError("the `git` command is not installed on this machine; install it (Debian: apt-get install "
                       "git) to run flows whose code is in a git repository") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} of {redact(url)} took longer than {_GIT_TIMEOUT_S:.0f} s") from None
    if done.returncode != 0:
        detail = " | ".join(line for line in done.stderr.strip().splitlines()[-3:] if line.strip())
        raise GitError(f"git {args[0]} of repository {redact(url)!r} failed (exit code {done.returncode}): "
                       f"{redact(detail, *secrets) or 'no message'}")
    return done.stdout


def _remote_commit(fetch_url: str, url: str, branch: str | None, secrets: tuple[str, ...]) -> str:
    """The commit `branch` (default: the repository's default branch) points at."""
    try:
        listing = _git(["ls-remote", "--symref", fetch_url, *(["HEAD"] if branch is None else [])], url=url,
                       secrets=secrets)
    except GitError as exc:
        raise GitError(f"{exc}. Check the URL and that this machine can reach the repository (and has the "
                       "credentials it needs)") from None
    heads: dict[str, str] = {}
    for line in listing.splitlines():
        sha, _, ref = line.partition("\t")
        if not sha.startswith("ref:"):
            heads[ref.strip()] = sha.strip()
    if branch is None:
        if "HEAD" not in heads:
            raise GitError(f"repository {redact(url)!r} has no commits (or no default branch); push a commit, or "
                           "name a branch")
        return heads["HEAD"]
    for ref in (f"refs/heads/{branch}", f"refs/tags/{branch}"):
        if ref in heads:
            return heads[f"{ref}^{{}}"] if f"{ref}^{{}}" in heads else heads[ref]
    branches = sorted(r.removeprefix("refs/heads/") for r in heads if r.startswith("refs/heads/"))
    known = f"its branches: {', '.join(branches)}" if branches else "it has no branches"
    raise GitError(f"branch {branch!r} not found in repository {redact(url)!r} ({known}); push the branch or "
                   "change `branch`")


def check_out(url: str, *, branch: str | None = None, commit_sha: str | None = None,
              credentials: dict[str, Any] | None = None, cache: Path) -> Checkout:
    """The repository at `commit_sha`, or at the head of `branch` (default: its default
    branch) now, checked out under `cache` (see the module docstring).

    Raises:
        GitError: git is missing, the repository cannot be reached, the branch or commit
            does not exist.
    """
    if branch and commit_sha:
        raise GitError("give a branch or a commit_sha, not both")
    if commit_sha and not _SHA.match(commit_sha):
        raise GitError(f"commit_sha {commit_sha!r} is not a hexadecimal commit id; name a branch or tag with "
                       "`branch` instead")
    fetch_url = url_with_credentials(url, credentials)
    secrets = tuple(s for s in (urlparse(fetch_url).password, urlparse(fetch_url).username) if s)
    repo_dir = cache / f"{repository_name(url)}-{hashlib.sha1(url.encode()).hexdigest()[:8]}"
    wanted = commit_sha.lower() if commit_sha else _remote_commit(fetch_url, url, branch, secrets)
    if len(wanted) == 40 and (repo_dir / wanted / ".git").is_dir():
        return Checkout(url, wanted, repo_dir / wanted)
    if commit_sha:  # an abbreviated sha may name a checkout made before
        found = sorted(p for p in repo_dir.glob(f"{wanted}*") if (p / ".git").is_dir()) if repo_dir.is_dir() else []
        if found:
            return Checkout(url, found[0].name, found[0])
    repo_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".clone-", dir=repo_dir))
    try:
        if commit_sha:
            _git(["init", "-q", str(staging)], url=url)
            _git(["remote", "add", "origin", fetch_url], cwd=staging, url=url, secrets=secrets)
            try:
                _git(["fetch", "-q", "--depth", "1", "origin", commit_sha], cwd=staging, url=url, secrets=secrets)
            except GitError:
                # Short shas cannot be fetched by name: take the history and look for it.
                try:
                    _git(["fetch", "-q", "origin"], cwd=staging, url=url, secrets=secrets)
                    _git(["rev-parse", "--verify", f"{commit_sha}^{{commit}}"], cwd=staging, url=url)
                except GitError:
                    raise GitError(f"commit {commit_sha!r} not found in repository {redact(url)!r}; check the "
                                   "commit_sha") from None
                _git(["checkout", "-q", commit_sha], cwd=staging, url=url)
            else:
                _git(["checkout", "-q", "FETCH_HEAD"], cwd=staging, url=url)
        else:
            _git(["clone", "-q", "--depth", "1", *(["--branch", branch] if branch else []), fetch_url,
                  str(staging)], url=url, secrets=secrets)
        commit = _git(["rev-parse", "HEAD"], cwd=staging, url=url).strip()
        # Keep no credentials on disk in the checkout's config.
        _git(["remote", "set-url", "origin", url], cwd=staging, url=url)
        final = repo_dir / commit
        try:
            staging.rename(final)
        except OSError:
            if not (final / ".git").is_dir():  # not another run's copy of the same commit: a real failure
                raise
        return Checkout(url, commit, final)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
