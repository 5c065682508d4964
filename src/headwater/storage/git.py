"""Prefect 1's git storage: `Git`, `GitHub`, `GitLab`, `Bitbucket` (`prefect.storage`).

    flow.storage = Git(repo="org/etl", flow_path="flows/etl.py", branch_name="main")
    flow.register(project_name="etl")

The flow's file is in a git repository; `flow.register()` records a `git_clone` pull
step and the file, and each run's process checks out the branch's commit of that
moment (the cache keyed by commit of `headwater.runner.git`) and loads the flow from
there. `storage.get_flow(name)` does the same in this process.

Unlike Prefect 1, which fetches the one file through each host's REST API (GitHub,
GitLab, Bitbucket), headwater clones the repository with the `git` command for all
four, so the machine running flows needs `git` and access to the host; a `repo` given
as a full URL (`https://...`, `ssh://...`, `file:///srv/git/etl.git`) is cloned as it
is. Tokens are read from Prefect 1 secrets (`PREFECT__CONTEXT__SECRETS__NAME`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.exceptions import InvalidRepositoryURLError
from headwater.storage.base import Storage, flow_from_source

if TYPE_CHECKING:
    from headwater.engine.flows import Flow

__all__ = ["Bitbucket", "Git", "GitHub", "GitLab"]


def _secret(name: str | None) -> str | None:
    if not name:
        return None
    from headwater.client.secrets import Secret

    value = Secret(name).get()
    return None if value is None else str(value)


def _is_url(text: str) -> bool:
    return "://" in text or (text.startswith("git@") and ":" in text)


class Git(Storage):
    """A flow file in a git repository (Prefect 1's `Git` storage).

    Args:
        flow_path: the flow's file, relative to the repository's root.
        repo: `org/name` on `repo_host`, or a full URL.
        repo_host: the host of an `org/name` repo (default github.com).
        flow_name: the flow to load from the file (default: the registered flow's).
        git_token_secret_name: a secret holding an access token (https).
        git_token_username: the token's user (default: the repo's organisation).
        git_clone_url_secret_name: a secret holding the whole clone URL (wins over the rest).
        branch_name, tag, commit: which revision (at most one; default the default branch).
        clone_depth, format_access_token: accepted as in Prefect 1.
        use_ssh: clone `git@host:org/name.git`.

    Raises:
        ValueError: more than one of branch_name, tag, commit; neither repo nor a clone URL secret.
        InvalidRepositoryURLError: a repo that is neither `org/name` nor a URL.
    """

    def __init__(self, flow_path: str, repo: str | None = None, repo_host: str = "github.com",
                 flow_name: str | None = None, git_token_secret_name: str | None = None,
                 git_token_username: str | None = None, git_clone_url_secret_name: str | None = None,
                 branch_name: str | None = None, tag: str | None = None, commit: str | None = None,
                 clone_depth: int = 1, use_ssh: bool = False, format_access_token: bool = True,
                 **kwargs: Any) -> None:
        if sum(bool(x) for x in (branch_name, tag, commit)) > 1:
            raise ValueError("Please provide only one of the following parameters: `branch_name`, `tag`, `commit`")
        if repo is None and git_clone_url_secret_name is None:
            raise ValueError("Either `repo` or `git_clone_url_secret_name` must be provided")
        if repo is not None and not _is_url(repo) and repo.strip("/").count("/") != 1:
            raise InvalidRepositoryURLError(f"repo {repo!r} is neither 'organisation/name' nor a URL to clone")
        self.flow_path = flow_path
        self.repo = repo
        self.repo_host = repo_host
        self.flow_name = flow_name
        self.git_token_secret_name = git_token_secret_name
        self.git_clone_url_secret_name = git_clone_url_secret_name
        self.git_token_username = git_token_username or (repo.split("/")[0] if repo and not _is_url(repo) else None)
        self.branch_name = branch_name
        self.tag = tag
        self.commit = commit
        self.clone_depth = clone_depth
        self.use_ssh = use_ssh
        self.format_access_token = format_access_token
        super().__init__(stored_as_script=True, **kwargs)

    @property
    def git_clone_url(self) -> str:
        """The URL cloned (without the token, which is passed to git separately)."""
        secret_url = _secret(self.git_clone_url_secret_name)
        if secret_url:
            return secret_url
        repo = str(self.repo)
        if _is_url(repo):
            return repo
        if self.use_ssh:
            return f"git@{self.repo_host}:{repo}.git"
        return f"https://{self.repo_host}/{repo.strip('/')}.git"

    def _credentials(self) -> dict[str, Any] | None:
        token = None if self.use_ssh else _secret(self.git_token_secret_name)
        if not token:
            return None
        return {"access_token": token, "username": self.git_token_username} if self.git_token_username else {
            "access_token": token}

    def add_flow(self, flow: Flow[..., Any]) -> str:
        """Note that `flow` is in `flow_path`; returns the path.

        Raises:
            ValueError: a flow of that name is kept here already.
        """
        if flow.name in self:
            raise ValueError(f'Name conflict: Flow with the name "{flow.name}" is already present in this storage.')
        self.flows[flow.name] = self.flow_path
        self._flows[flow.name] = flow
        return self.flow_path

    def checkout(self) -> Path:
        """Check out the revision now (see `headwater.runner.git.check_out`).

        Raises:
            GitError: the repository or revision cannot be had (named).
        """
        from headwater.core.settings import get_settings
        from headwater.runner.git import check_out

        return check_out(self.git_clone_url, branch=self.branch_name or self.tag, commit_sha=self.commit,
                         credentials=self._credentials(), cache=Path(get_settings().home) / "code").directory

    def get_flow(self, flow_name: str) -> Flow[..., Any]:
        """Check out the repository and load the flow from `flow_path`.

        Raises:
            ValueError: no flow of that name is kept here or found in the file.
            GitError: the repository cannot be checked out.
        """
        if flow_name not in self.flows:
            raise ValueError("Flow is not contained in this Storage")
        return flow_from_source(str(self.checkout() / self.flows[flow_name]), self.flow_name or flow_name)

    def entrypoint(self, flow_name: str) -> str | None:
        """`flow_path:attribute`, relative to the checkout the pull step makes; the
        attribute is the module-level name the flow has where it is defined."""
        flow = self._flows.get(flow_name)
        for module in (sys.modules.get("__main__"), sys.modules.get(getattr(getattr(flow, "fn", None),
                                                                             "__module__", "") or "")):
            for attribute, value in vars(module or object()).items():
                if value is flow and not attribute.startswith("_"):
                    return f"{self.flows.get(flow_name, self.flow_path)}:{attribute}"
        raise ValueError(f"cannot tell the module-level name of flow {flow_name!r} in {self.flow_path}; define it at "
                         "the top level of the file")

    def pull_steps(self) -> list[dict[str, Any]]:
        """The `git_clone` step a registered flow's runs take (tokens stay in secrets)."""
        step: dict[str, Any] = {"repository": self.git_clone_url, "branch": self.branch_name or self.tag}
        if self.commit:
            step = {"repository": self.git_clone_url, "commit_sha": self.commit}
        if self.git_token_secret_name and not self.use_ssh:
            step["access_token"] = "{{ $PREFECT__CONTEXT__SECRETS__" + self.git_token_secret_name + " }}"
        return [{"prefect.deployments.steps.git_clone": step}]


class GitHub(Git):
    """A flow file in a GitHub repository (Prefect 1's `GitHub` storage), cloned with git.

    Args:
        repo: `org/name` (or a full URL).
        path: the flow's file in the repository.
        ref: a branch or tag (default: the default branch).
        access_token_secret: a secret holding a token.
        base_url: GitHub Enterprise's API URL (`https://host/api/v3`): its host is cloned from.
    """

    def __init__(self, repo: str, path: str, ref: str | None = None, access_token_secret: str | None = None,
                 base_url: str | None = None, **kwargs: Any) -> None:
        from urllib.parse import urlparse

        host = urlparse(base_url).hostname if base_url else "github.com"
        self.path, self.ref, self.access_token_secret, self.base_url = path, ref, access_token_secret, base_url
        super().__init__(flow_path=path, repo=repo, repo_host=host or "github.com",
                         git_token_secret_name=access_token_secret, git_token_username="x-access-token",
                         branch_name=ref, **kwargs)


class GitLab(Git):
    """A flow file in a GitLab repository (Prefect 1's `GitLab` storage), cloned with git.

    Args:
        repo: `group/name` (or a full URL).
        host: the GitLab server (default https://gitlab.com).
        path: the flow's file in the repository.
        ref: a branch or tag (Prefect 1's default: master).
        access_token_secret: a secret holding a token.
    """

    def __init__(self, repo: str, host: str | None = None, path: str | None = None, ref: str | None = None,
                 access_token_secret: str | None = None, **kwargs: Any) -> None:
        from urllib.parse import urlparse

        self.host, self.path, self.ref, self.access_token_secret = host, path, ref, access_token_secret
        server = urlparse(host).hostname if host and "://" in host else host
        super().__init__(flow_path=path or "", repo=repo.strip("/") if _is_url(repo) or repo.count("/") == 1
                         else repo, repo_host=server or "gitlab.com", git_token_secret_name=access_token_secret,
                         git_token_username="oauth2", branch_name=ref, **kwargs)


class Bitbucket(Git):
    """A flow file in a Bitbucket repository (Prefect 1's `Bitbucket` storage), cloned with git.

    Args:
        project: the project (Bitbucket Server) or, on bitbucket.org without `workspace`, the owner.
        repo: the repository's name (or a full URL).
        workspace: the bitbucket.org workspace.
        host: a Bitbucket Server (cloned from `host/scm/project/repo.git`).
        path: the flow's file in the repository.
        ref: a branch or tag.
        access_token_secret: a secret holding a token.
    """

    def __init__(self, project: str, repo: str, workspace: str | None = None, host: str | None = None,
                 path: str | None = None, ref: str | None = None, access_token_secret: str | None = None,
                 cloud_username_secret: str | None = None, cloud_app_password_secret: str | None = None,
                 **kwargs: Any) -> None:
        if workspace and access_token_secret:
            raise ValueError("`access_token_secret` and `workspace` are both set. Setting `workspace` means "
                             "Bitbucket Cloud, which uses an app password, not an access token.")
        self.project, self.workspace, self.host, self.path, self.ref = project, workspace, host, path, ref
        self.access_token_secret = access_token_secret
        if _is_url(repo):
            url = repo
        elif host:
            url = f"{host.rstrip('/')}/scm/{project}/{repo}.git"
        else:
            url = f"https://bitbucket.org/{workspace or project}/{repo}.git"
        username = _secret(cloud_username_secret)
        super().__init__(flow_path=path or "", repo=url, git_token_secret_name=access_token_secret or
                         cloud_app_password_secret, git_token_username=username or "x-token-auth", branch_name=ref,
                         **kwargs)
