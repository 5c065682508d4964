"""Project files: `headwater.yaml` or Prefect's `prefect.yaml` (the same schema), deployed
by `headwater deploy --all` or `headwater deploy -n NAME`.

    name: etl
    build: [...]             # steps run before deploying
    push: [...]              # steps that upload the code
    pull:                    # steps each run's process takes to fetch the code
      - prefect.deployments.steps.git_clone:
          repository: https://github.com/org/etl.git
          branch: main
    deployments:
      - name: nightly
        entrypoint: flows/etl.py:pipeline
        parameters: {rows: 1000}
        schedules: [{cron: "0 3 * * *", timezone: Europe/Paris}]
        work_pool: {name: local, job_variables: {env: {MODE: prod}}}

A deployment may give its own `build`, `push` and `pull`, replacing the project's.
Values may hold placeholders (`headwater.deployments.templating`): outputs of the build
and push steps, `{{ prefect.variables.x }}`, `{{ $ENV }}`. Pull steps keep the
placeholders that only the run can fill (its own steps' outputs, variables and the
environment where it runs). Every step of every chosen deployment is checked before
the first one runs, so an unknown step fails with its name and nothing done. With no
pull steps at all, a deployment's runs start in the project file's directory.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.exceptions import HeadwaterError

if TYPE_CHECKING:
    from headwater.core.deployment_schemas import DeploymentInfo

__all__ = ["PROJECT_FILE_NAMES", "ProjectFileError", "deploy_project", "find_project_file", "load_project",
           "select_deployments"]

PROJECT_FILE_NAMES = ("headwater.yaml", "prefect.yaml")
"""Looked for in this order in the current directory."""

_SECTIONS = {"name", "prefect-version", "description", "build", "push", "pull", "deployments", "definitions"}
_DEPLOYMENT_KEYS = {"name", "version", "tags", "description", "schedule", "schedules", "flow_name", "entrypoint",
                    "parameters", "work_pool", "build", "push", "pull", "concurrency_limit", "paused",
                    "enforce_parameter_schema", "parameter_openapi_schema", "triggers", "version_type",
                    "concurrency_options", "_sla", "sla", "labels"}


class ProjectFileError(HeadwaterError):
    """A project file is missing or not valid (the message names the file and the key)."""


def find_project_file(explicit: str | Path | None = None, directory: Path | None = None) -> Path:
    """The project file to read: `explicit`, else headwater.yaml or prefect.yaml here.

    Raises:
        ProjectFileError: none found.
    """
    if explicit is not None:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ProjectFileError(f"no project file at {str(path)!r}")
        return path.resolve()
    here = directory or Path.cwd()
    for name in PROJECT_FILE_NAMES:
        if (here / name).is_file():
            return (here / name).resolve()
    raise ProjectFileError(f"no headwater.yaml or prefect.yaml in {here}; write one with `headwater init`, or name "
                           "an entrypoint: headwater deploy path/to/file.py:flow --name NAME")


def load_project(path: Path) -> dict[str, Any]:
    """Read and check a project file's shape.

    Raises:
        ProjectFileError: not YAML, not a mapping, unknown sections or deployment keys,
            a deployment without a name or entrypoint.
    """
    import yaml  # type: ignore[import-untyped]  # PyYAML ships no type hints; types-PyYAML is not a dependency

    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ProjectFileError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ProjectFileError(f"{path} must be a mapping with a 'deployments' list")
    unknown = sorted(set(data) - _SECTIONS)
    if unknown:
        raise ProjectFileError(f"{path}: unknown section(s) {', '.join(unknown)}; a project file has "
                               f"{', '.join(sorted(_SECTIONS))}")
    for section in ("build", "push", "pull"):
        if data.get(section) is not None and not isinstance(data[section], list):
            raise ProjectFileError(f"{path}: '{section}' must be a list of steps")
    deployments = data.get("deployments") or []
    if not isinstance(deployments, list):
        raise ProjectFileError(f"{path}: 'deployments' must be a list")
    for index, entry in enumerate(deployments):
        where = f"{path}: deployments[{index}]"
        if not isinstance(entry, dict):
            raise ProjectFileError(f"{where} must be a mapping")
        extra = sorted(set(entry) - _DEPLOYMENT_KEYS)
        if extra:
            raise ProjectFileError(f"{where}: unknown key(s) {', '.join(extra)}")
        if not entry.get("name"):
            raise ProjectFileError(f"{where} has no name")
    return data


def select_deployments(project: dict[str, Any], names: list[str], all_: bool) -> list[dict[str, Any]]:
    """The deployments `--all` or `-n NAME` choose (`NAME` may be `flow/name` and use `*`).

    Raises:
        ProjectFileError: no names and not `--all`; a name that matches nothing (the
            deployments there are listed).
    """
    entries = [e for e in project.get("deployments") or [] if isinstance(e, dict)]
    if all_:
        return entries
    if not names:
        raise ProjectFileError("name the deployments to deploy with -n NAME (repeatable), or deploy them all with "
                               "--all")
    chosen: list[dict[str, Any]] = []
    for name in names:
        pattern = name.split("/", 1)[1] if "/" in name else name
        found = [e for e in entries if fnmatch.fnmatchcase(str(e["name"]), pattern) and e not in chosen]
        if not found and not any(fnmatch.fnmatchcase(str(e["name"]), pattern) for e in entries):
            listed = ", ".join(str(e["name"]) for e in entries) or "none"
            raise ProjectFileError(f"no deployment named {name!r} in the project file (its deployments: {listed})")
        chosen.extend(found)
    return chosen


def _schedules(entry: dict[str, Any]) -> list[dict[str, Any]]:
    given = entry.get("schedules")
    if given is None and entry.get("schedule"):
        given = [entry["schedule"]]
    specs = []
    for item in given or []:
        if not isinstance(item, dict) or not item:
            continue
        item = {k: v for k, v in item.items() if v is not None}
        if "anchor_date" in item:
            item["anchor"] = item.pop("anchor_date")
        for ignored in ("slug", "parameters", "max_active_runs", "catchup"):
            item.pop(ignored, None)
        specs.append(item)
    return specs


def deploy_project(path: Path, names: list[str], *, all_: bool = False,
                   job_variables: dict[str, Any] | None = None,
                   echo: Any = print) -> list[DeploymentInfo]:
    """Register the chosen deployments of a project file (see the module docstring).

    Args:
        job_variables: over each deployment's own (`--job-variable`).
        echo: where progress lines go.

    Raises:
        ProjectFileError, StepError, TemplateError, EntrypointError: named; nothing is
            registered for a deployment whose steps or flow fail.
    """
    from headwater.deployments.steps import check_steps, run_steps
    from headwater.deployments.templating import apply_values, resolve_references
    from headwater.engine.deployments import deploy, to_deployment
    from headwater.engine.entrypoints import load_flow

    project = load_project(path)
    chosen = select_deployments(project, names, all_)
    for entry in chosen:  # every step known before any runs
        for section in ("build", "push", "pull"):
            steps = entry.get(section, project.get(section))
            try:
                check_steps(steps)
            except HeadwaterError as exc:
                raise type(exc)(f"{path}, deployment {entry['name']!r}, {section}: {exc}") from None
        if not entry.get("entrypoint"):
            raise ProjectFileError(f"{path}: deployment {entry['name']!r} has no entrypoint (path/to/file.py:flow)")
    registered = []
    root = path.parent
    previous = os.getcwd()
    os.chdir(root)
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    try:
        for entry in chosen:
            outputs = run_steps(entry.get("build", project.get("build")), print_function=echo)
            outputs = run_steps(entry.get("push", project.get("push")), outputs, print_function=echo)
            pull = apply_values(entry.get("pull", project.get("pull")), outputs)
            settings = resolve_references(apply_values({k: v for k, v in entry.items()
                                                        if k not in ("build", "push", "pull")}, outputs))
            os.chdir(root)
            flow = load_flow(str(settings["entrypoint"]))
            pool = settings.get("work_pool") or {}
            variables = {**(pool.get("job_variables") or {}), **(job_variables or {})}
            deployment = to_deployment(
                flow, str(settings["name"]), entrypoint=str(settings["entrypoint"]),
                schedules=_schedules(settings), parameters=settings.get("parameters") or {},
                tags=settings.get("tags") or [], description=settings.get("description"),
                version=None if settings.get("version") is None else str(settings["version"]),
                paused=bool(settings.get("paused") or False), concurrency_limit=settings.get("concurrency_limit"),
                work_pool_name=pool.get("name") or None, job_variables=variables,
            )
            deployment.pull_steps = pull or [
                {"prefect.deployments.steps.set_working_directory": {"directory": str(root)}}]
            registered.extend(deploy(deployment))
    finally:
        os.chdir(previous)
    return registered
