"""Prefect 1's "flow NAME registered in project P": the deployment `flow.register()` made.

Used by `headwater run --name F --project P` and by `prefect.backend.FlowView`, over
the control plane (`headwater.client.transport`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from headwater.exceptions import HeadwaterError, ObjectNotFound

if TYPE_CHECKING:
    from headwater.client.transport import Transport
    from headwater.core.deployment_schemas import DeploymentInfo

__all__ = ["find_registered_flow"]


def find_registered_flow(control: Transport, *, name: str | None, project: str | None,
                         ref: str | None) -> DeploymentInfo:
    """The deployment a Prefect 1 user calls "flow NAME in project PROJECT".

    Args:
        control: the control plane.
        name: the flow's name (`--name`).
        project: the project (`--project`); None searches every project.
        ref: a deployment id or `flow/deployment` (`--id`), instead of name and project.

    Raises:
        ObjectNotFound: no such project, or no such flow in it, saying how to list them.
        HeadwaterError: the name matches in several projects, or several deployments.
    """
    if ref is not None:
        return control.read_deployment(ref)
    if name is None:
        raise HeadwaterError(f"--project {project!r} needs --name FLOW too: which of its flows to run? "
                             f"List them with `headwater deployment ls --project '{project}'`")
    if project is not None:
        try:
            control.read_project(project)
        except ObjectNotFound:
            known = ", ".join(repr(p.name) for p in control.list_projects()) or "none yet"
            raise ObjectNotFound(f"no project named {project!r} (projects: {known}; `headwater project ls` lists "
                                 f"them, `headwater create project {project}` creates it)") from None
        found = control.list_deployments(project=project, flow_name=name)
        if not found:
            flows = sorted({d.flow_name for d in control.list_deployments(project=project)})
            there = ", ".join(repr(f) for f in flows) or "none yet"
            raise ObjectNotFound(f"no flow named {name!r} is registered in project {project!r} (flows there: {there}; "
                                 f"`headwater deployment ls --project '{project}'` lists them; register one with "
                                 f"flow.register(project_name='{project}'))")
    else:
        found = control.list_deployments(flow_name=name)
        if not found:
            flows = sorted({d.flow_name for d in control.list_deployments()})
            known = ", ".join(repr(f) for f in flows[:20]) or "none yet"
            raise ObjectNotFound(f"no flow named {name!r} is registered in any project (registered flows: {known}; "
                                 "`headwater deployment ls` lists them)")
        projects = sorted({d.project for d in found})
        if len(projects) > 1:
            raise HeadwaterError(f"flow {name!r} is registered in several projects ({', '.join(map(repr, projects))}); "
                                 "choose one with --project")
    if len(found) == 1:
        return found[0]
    # flow.register() names the deployment after the flow; that one is "the registered flow".
    registered = [d for d in found if d.name == name.replace("/", "-")]
    if registered:
        return registered[0]
    listing = ", ".join(repr(d.full_name) for d in found)
    raise HeadwaterError(f"flow {name!r} has several deployments in project {found[0].project!r} ({listing}); "
                         "choose one with --id 'FLOW/DEPLOYMENT'")
