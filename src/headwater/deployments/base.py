"""Starting a project file, as Prefect's `prefect.deployments.base` (`initialize_project`).

A project file (`headwater.yaml`, or Prefect's `prefect.yaml`: the same schema) lists
deployments and the steps that build, push and pull their code; `headwater deploy
--all` registers them (`headwater.deployments.project`). `initialize_project` writes a
starter one: with a `git_clone` pull step of the repository's `origin` when the
directory is in a git repository with one (the "git" recipe), else a
`set_working_directory` step to the directory (the "local" recipe).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Optional

__all__ = ["RECIPES", "create_default_project_file", "initialize_project"]

RECIPES = ("local", "git")
"""The starters `initialize_project(recipe=...)` knows."""

_HEADER = """---
# A headwater project file (the same schema as Prefect's prefect.yaml). Deploy every
# deployment below with `headwater deploy --all`, or one with `headwater deploy -n NAME`.

"""


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _pull_steps(recipe: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    if recipe == "git":
        return [{"prefect.deployments.steps.git_clone": {"repository": values["repository"],
                                                         "branch": values.get("branch", "main")}}]
    return [{"prefect.deployments.steps.set_working_directory": {"directory": values["directory"]}}]


def create_default_project_file(path: str | Path, name: Optional[str] = None,
                                contents: Optional[dict[str, Any]] = None, *, file_name: str = "prefect.yaml") -> bool:
    """Write a starter project file in `path` unless one is there; whether it was written."""
    import yaml  # type: ignore[import-untyped]  # PyYAML ships no type hints; types-PyYAML is not a dependency

    from headwater import __version__

    target = Path(path) / file_name
    if target.exists():
        return False
    contents = dict(contents or {})
    sections: list[tuple[str, dict[str, Any]]] = [
        ("", {"name": name or Path(path).resolve().name, "prefect-version": __version__}),
        ("# build: steps run before deploying (outputs usable as {{ step_id.field }})\n", {"build": None}),
        ("# push: steps that upload the code somewhere the workers can reach\n", {"push": None}),
        ("# pull: steps each run's process takes to fetch the code before loading the flow\n",
         {"pull": contents.get("pull")}),
        ("# deployments: one entry per deployment\n", {"deployments": contents.get("deployments") or [{
            "name": None, "version": None, "tags": [], "description": None, "schedules": [],
            "entrypoint": None, "parameters": {},
            "work_pool": {"name": None, "work_queue_name": None, "job_variables": {}}}]}),
    ]
    with target.open("w") as out:
        out.write(_HEADER)
        for comment, section in sections:
            out.write(comment)
            yaml.safe_dump(section, out, sort_keys=False)
            out.write("\n")
    return True


def initialize_project(name: Optional[str] = None, recipe: Optional[str] = None,
                       inputs: Optional[dict[str, Any]] = None, *, file_name: str = "prefect.yaml") -> list[str]:
    """Write a starter project file in the current directory (see the module docstring).

    Args:
        name: the project's name (default: the directory's).
        recipe: "local" or "git" (default: "git" in a repository with an `origin`, else "local").
        inputs: values for the recipe (`repository`, `branch`, `directory`).
        file_name: `prefect.yaml` (Prefect's name) or `headwater.yaml`.

    Returns:
        The files written (none when the file exists already).

    Raises:
        ValueError: an unknown recipe.
    """
    values: dict[str, Any] = {"directory": str(Path(".").resolve())}
    origin = _git("config", "--get", "remote.origin.url")
    if origin:
        values["repository"] = origin
        values["branch"] = _git("rev-parse", "--abbrev-ref", "HEAD") or "main"
    values.update(inputs or {})
    if recipe is None:
        recipe = "git" if "repository" in values else "local"
    if recipe not in RECIPES:
        raise ValueError(f"Unknown recipe {recipe!r} provided. headwater has {', '.join(RECIPES)}.")
    if recipe == "git" and "repository" not in values:
        raise ValueError("the git recipe needs a repository: run it in a git repository with an 'origin' remote, "
                         "or pass inputs={'repository': URL}")
    written = create_default_project_file(".", name=name, contents={"pull": _pull_steps(recipe, values)},
                                          file_name=file_name)
    return [file_name] if written else []
