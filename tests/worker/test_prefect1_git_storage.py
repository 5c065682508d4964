"""Prefect 1's `Git` storage (and `GitHub`/`GitLab`/`Bitbucket`, built on it) with a real
repository reached through file://: `flow.register()` records a git_clone pull step,
the agent's run checks out the pushed commit; `get_flow` loads the flow from a
checkout; the argument checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from runner.gitrepo import Repo
from worker.conftest import HEADWATER, base_env

FLOW = '''
from headwater import Flow, task
from headwater.storage import Git

@task(log_stdout=True)
def say():
    print("{message}")

with Flow("git-stored") as flow:
    say()

flow.storage = Git(repo="{url}", flow_path="flows/stored.py", branch_name="main")

if __name__ == "__main__":
    flow.register(project_name="p1", create_project=True)
'''


def test_register_with_git_storage_and_an_agent_runs_the_pushed_code(tmp_path: Path) -> None:
    env = base_env(tmp_path / "home")
    repo = Repo(tmp_path)
    repo.commit({"flows/stored.py": FLOW.replace("{url}", repo.url).replace("{message}", "from commit one")})
    registered = subprocess.run([sys.executable, str(repo.work / "flows/stored.py")], env=env, capture_output=True,
                                text=True, timeout=120, cwd=repo.work)
    assert registered.returncode == 0, registered.stderr
    repo.commit({"flows/stored.py": FLOW.replace("{url}", repo.url).replace("{message}", "from commit two")})
    agent = subprocess.Popen([HEADWATER, "agent", "local", "start"], env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        run = subprocess.run([HEADWATER, "deployment", "run", "git-stored/git-stored", "--watch", "--timeout", "90"],
                             env=env, capture_output=True, text=True, timeout=120)
    finally:
        agent.terminate()
        agent.wait(30)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "from commit two" in run.stdout  # the commit pushed after registering


def test_get_flow_and_the_argument_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from headwater.core.settings import reset_settings
    from headwater.exceptions import InvalidRepositoryURLError
    from headwater.storage import Bitbucket, Git, GitHub, GitLab

    monkeypatch.setenv("HEADWATER_HOME", str(tmp_path / "home"))
    reset_settings()
    repo = Repo(tmp_path)
    repo.commit({"flows/stored.py": FLOW.replace("{url}", repo.url).replace("{message}", "hi")})
    storage = Git(repo=repo.url, flow_path="flows/stored.py")
    storage.flows["git-stored"] = "flows/stored.py"
    assert storage.get_flow("git-stored").name == "git-stored"
    with pytest.raises(ValueError, match="only one of the following parameters"):
        Git(flow_path="f.py", repo="org/x", branch_name="a", tag="b")
    with pytest.raises(InvalidRepositoryURLError, match="neither 'organisation/name' nor a URL"):
        Git(flow_path="f.py", repo="just-a-name")
    assert Git(flow_path="f.py", repo="org/etl").git_clone_url == "https://github.com/org/etl.git"
    assert Git(flow_path="f.py", repo="org/etl", use_ssh=True).git_clone_url == "git@github.com:org/etl.git"
    assert GitHub(repo="org/etl", path="f.py").git_clone_url == "https://github.com/org/etl.git"
    assert GitLab(repo="grp/etl", host="https://git.example.com", path="f.py").git_clone_url == (
        "https://git.example.com/grp/etl.git")
    assert Bitbucket(project="PRJ", repo="etl", host="https://bb.example.com").git_clone_url == (
        "https://bb.example.com/scm/PRJ/etl.git")
    reset_settings()
