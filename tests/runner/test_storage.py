"""Code storage with real git repositories (bare, through file://): checkouts keyed by
commit, a new commit seen by the next pull, clear errors for a missing branch, commit
or repository; local and fsspec storage; `flow.from_source` and the deployment it makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from headwater import flow
from headwater.runner.git import GitError
from headwater.runner.storage import (
    GitRepository,
    LocalStorage,
    RemoteStorage,
    create_storage_from_source,
)
from runner.gitrepo import Repo

FLOW = '''
from headwater import flow

VERSION = {version!r}

@flow
def report(x: int = 1) -> str:
    return f"{{VERSION}}:{{x}}"
'''


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    made = Repo(tmp_path)
    made.commit({"flows/report.py": FLOW.format(version="v1")}, "first")
    return made


def test_a_git_url_is_checked_out_into_a_cache_keyed_by_commit(repo: Repo, home: Path) -> None:
    storage = GitRepository(url=repo.url)
    first = storage.pull_sync()
    assert first.parent.parent == home / "code" and first.name == storage.commit
    assert "v1" in (first / "flows/report.py").read_text()
    assert GitRepository(url=repo.url).pull_sync() == first  # same commit: the same checkout, not a new clone

    repo.commit({"flows/report.py": FLOW.format(version="v2")}, "second")
    second = storage.pull_sync()
    assert second != first and "v2" in (second / "flows/report.py").read_text()
    assert "v1" in (first / "flows/report.py").read_text()  # an older commit's checkout is left as it was


def test_a_branch_and_a_commit(repo: Repo) -> None:
    old = repo.commit({"flows/report.py": FLOW.format(version="v2")}, "second")
    repo.commit({"flows/report.py": FLOW.format(version="dev")}, "on dev", branch="dev")
    assert "dev" in (GitRepository(url=repo.url, branch="dev").pull_sync() / "flows/report.py").read_text()
    at_commit = GitRepository(url=repo.url, commit_sha=old[:10]).pull_sync()
    assert "v2" in (at_commit / "flows/report.py").read_text()


def test_a_missing_branch_says_which_branches_exist(repo: Repo) -> None:
    with pytest.raises(GitError, match=r"branch 'nope' not found in repository 'file://.*flows.git' "
                                       r"\(its branches: main\)"):
        GitRepository(url=repo.url, branch="nope").pull_sync()


def test_a_missing_commit_and_a_missing_repository(repo: Repo, tmp_path: Path) -> None:
    with pytest.raises(GitError, match="commit 'deadbeef' not found in repository"):
        GitRepository(url=repo.url, commit_sha="deadbeef").pull_sync()
    with pytest.raises(GitError, match=r"git ls-remote of repository 'file://.*/absent.git' failed .*Check the URL"):
        GitRepository(url=(tmp_path / "absent.git").as_uri()).pull_sync()


def test_credentials_never_appear_in_errors(tmp_path: Path) -> None:
    storage = GitRepository(url="https://127.0.0.1:9/org/x.git", credentials={"access_token": "s3cret-token"})
    with pytest.raises(GitError) as caught:
        storage.pull_sync()
    assert "s3cret-token" not in str(caught.value)


def test_prefect_argument_checks() -> None:
    with pytest.raises(ValueError, match="Cannot provide both a branch and a commit SHA"):
        GitRepository(url="file:///x.git", branch="main", commit_sha="abcd")
    with pytest.raises(ValueError, match="Invalid commit SHA: 'main'"):
        GitRepository(url="file:///x.git", commit_sha="main")
    with pytest.raises(ValueError, match="an access token or password must also be provided"):
        GitRepository(url="https://h/x.git", credentials={"username": "u"})
    with pytest.raises(ValueError, match="save your access token as a Secret block"):
        GitRepository(url="https://h/x.git", credentials={"access_token": "t"}).to_pull_step()


def test_storage_from_a_source_string(tmp_path: Path) -> None:
    assert isinstance(create_storage_from_source("https://github.com/org/repo.git"), GitRepository)
    assert isinstance(create_storage_from_source("file:///srv/git/etl.git"), GitRepository)
    assert isinstance(create_storage_from_source(str(tmp_path)), LocalStorage)
    assert isinstance(create_storage_from_source(f"file://{tmp_path}"), LocalStorage)
    assert isinstance(create_storage_from_source("memory://code"), RemoteStorage)
    assert GitRepository(url="file:///srv/etl.git", branch="dev").to_pull_step() == {
        "prefect.deployments.steps.git_clone": {"repository": "file:///srv/etl.git", "branch": "dev"}}


def test_from_source_with_a_git_repository_and_its_deployment(repo: Repo) -> None:
    report = flow.from_source(repo.url, "flows/report.py:report")
    assert report(x=2) == "v1:2"
    deployment = report.to_deployment("nightly")
    assert deployment.entrypoint == "flows/report.py:report"
    assert deployment.pull_steps == [{"prefect.deployments.steps.git_clone": {"repository": repo.url,
                                                                              "branch": None}}]


def test_from_source_with_a_missing_branch_fails_before_loading(repo: Repo) -> None:
    with pytest.raises(GitError, match="branch 'gone' not found"):
        flow.from_source(GitRepository(url=repo.url, branch="gone"), "flows/report.py:report")


def test_from_source_with_a_local_directory_and_remote_storage(repo: Repo, tmp_path: Path) -> None:
    local = flow.from_source(str(repo.work), "flows/report.py:report")
    assert local(x=3) == "v1:3"
    assert local.to_deployment("d").pull_steps == [
        {"prefect.deployments.steps.set_working_directory": {"directory": str(repo.work)}}]
    remote = RemoteStorage(url=f"file://{repo.work / 'flows'}")
    remote.set_base_path(tmp_path / "copies")
    (tmp_path / "copies").mkdir()
    copied = flow.from_source(remote, "report.py:report")
    assert copied(x=4) == "v1:4" and (tmp_path / "copies/flows/report.py").exists()


def test_load_flow_from_flow_run_runs_the_pull_steps(repo: Repo, tmp_path: Path) -> None:
    import asyncio

    from headwater import get_client
    from headwater.flows import load_flow_from_flow_run

    deployment_id = flow.from_source(repo.url, "flows/report.py:report").deploy("pulled", work_pool_name="default")
    repo.commit({"flows/report.py": FLOW.format(version="v2")}, "second")
    with get_client(sync_client=True) as client:
        run = client.create_flow_run_from_deployment(deployment_id)
    loaded = asyncio.run(load_flow_from_flow_run(run))
    assert loaded(x=5) == "v2:5"  # the branch's commit now, not the one deployed
    with pytest.raises(ValueError, match="does not have an associated deployment"):
        asyncio.run(load_flow_from_flow_run(run.model_copy(update={"deployment_id": None})))
