"""flow.from_source with a git repository made here (a bare repository reached through
file://): by URL, as a GitRepository with a branch, a commit pushed later picked up by
the next from_source, a missing branch failing, a local directory, and the deployment
(entrypoint, pull step) such a flow makes (prefect.runner.storage, Flow.from_source)."""

import os
import subprocess
from pathlib import Path

from prefect import flow
from prefect.runner.storage import GitRepository, LocalStorage, RemoteStorage, create_storage_from_source

ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
PACKAGE = flow.__module__.split(".")[0]  # the flow file imports the package this program runs on
FLOW = '''
from {package} import flow

@flow
def hello(who: str = "world") -> str:
    return "{version} hello " + who
'''


def git(*args, cwd=None):
    subprocess.run(["git", *args], cwd=cwd, env=ENV, check=True, capture_output=True)


root = Path("repos").resolve()
bare, work = root / "demo.git", root / "demo"
git("init", "-q", "--bare", "-b", "main", str(bare))
git("init", "-q", "-b", "main", str(work))
git("remote", "add", "origin", str(bare), cwd=work)


def push(version):
    (work / "flows").mkdir(exist_ok=True)
    (work / "flows" / "hello.py").write_text(FLOW.replace("{version}", version).replace("{package}", PACKAGE))
    git("add", "-A", cwd=work)
    git("commit", "-q", "-m", version, cwd=work)
    git("push", "-q", "origin", "main", cwd=work)


push("v1")
url = bare.as_uri()

by_url = flow.from_source(url, "flows/hello.py:hello")
print(by_url.name, by_url(who="git"))
on_main = flow.from_source(GitRepository(url=url, branch="main"), "flows/hello.py:hello")
print(on_main())

push("v2")
print(flow.from_source(url, "flows/hello.py:hello")())

try:
    flow.from_source(GitRepository(url=url, branch="no-such-branch"), "flows/hello.py:hello")
except RuntimeError:
    print("missing branch: RuntimeError")

local = flow.from_source(str(work), "flows/hello.py:hello")
print(local(who="local"))

deployment = by_url.to_deployment("from-git")
print(deployment.name, deployment.entrypoint, type(deployment.storage).__name__)
step = GitRepository(url=url, branch="main").to_pull_step()
print({name: {k: ("URL" if v == url else v) for k, v in inputs.items()} for name, inputs in step.items()})
print(LocalStorage(path=str(work)).to_pull_step() == {
    "prefect.deployments.steps.set_working_directory": {"directory": str(work)}})
for source in (url, "https://example.com/org/repo.git", str(work), f"file://{work}", "memory://code"):
    print(type(create_storage_from_source(source)).__name__)
print(RemoteStorage(url="memory://code").to_pull_step())
