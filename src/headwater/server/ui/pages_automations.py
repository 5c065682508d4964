"""The automations page: list automations with the actions they took (failures
shown), pause, resume and delete them, and create the common ones with a form: "when a
flow run of FLOW enters STATE, run DEPLOYMENT / send a notification / call a webhook".

Everything goes through the operations (the same checks as the API), and every value
is shown escaped by the template. Other automations are made from Python, the CLI
(`headwater automation create -f`) or the API.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from headwater.exceptions import ObjectNotFound, ParameterValidationError
from headwater.server.api._deps import operations_of
from headwater.server.errors import validation_message
from headwater.server.ui.forms import read_form
from headwater.server.ui.templating import SECURITY_HEADERS, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

STATES = ("Failed", "Crashed", "Completed", "Cancelled", "Running", "Late")


def _blocks(ops: Any) -> tuple[list[Any], list[Any]]:
    """(notification block documents, webhook block documents), by name."""
    from headwater.blocks.notifications import NotificationBlock
    from headwater.blocks.registry import known_block_class
    from headwater.core.block_schemas import BlockDocumentFilterRequest

    notifications, webhooks = [], []
    for document in ops.filter_block_documents(BlockDocumentFilterRequest()):
        slug = document.block_type.slug if document.block_type else ""
        if slug == "webhook":
            webhooks.append(document)
        else:
            cls = known_block_class(slug)
            if cls is not None and issubclass(cls, NotificationBlock):
                notifications.append(document)
    return notifications, webhooks


def _page(request: Request, *, error: str | None = None, status_code: int = 200,
          form: dict[str, Any] | None = None) -> HTMLResponse:
    from headwater.core.api_schemas import FlowFilterRequest
    from headwater.core.automation_schemas import AutomationFilterRequest

    ops = operations_of(request)
    rows = []
    for automation in ops.filter_automations(AutomationFilterRequest()):
        taken = ops.automation_actions(str(automation.id), limit=5)
        rows.append({"automation": automation, "trigger": automation.trigger.describe_for_cli(),
                     "actions": [a.describe_for_cli() for a in automation.actions], "taken": taken,
                     "failed": sum(1 for t in taken if t.status == "failed")})
    notifications, webhooks = _blocks(ops)
    context = {"rows": rows, "error": error, "form": form or {}, "states": STATES,
               "flows": ops.filter_flows(FlowFilterRequest(limit=1000)), "deployments": ops.list_deployments(),
               "notifications": notifications, "webhooks": webhooks}
    return render(request, "automations.html", context, status_code=status_code)


@router.get("/automations", response_class=HTMLResponse)
def automations_page(request: Request) -> HTMLResponse:
    """Every automation with its latest actions, and the form to add one."""
    return _page(request)


def _from_form(form: dict[str, str], ops: Any) -> Any:
    from headwater.core.actions import CallWebhook, RunDeployment, SendNotification
    from headwater.core.automation_schemas import AutomationCore
    from headwater.core.triggers import EventTrigger

    flow = ops.read_flow(name=form.get("flow", ""))
    state = form.get("state", "Failed")
    if state not in STATES:
        raise ParameterValidationError(f"state: choose one of {', '.join(STATES)}")
    then = form.get("then", "")
    action: Any
    if then == "run-deployment":
        action = RunDeployment(deployment_id=form.get("deployment") or None)
    elif then == "send-notification":
        action = SendNotification(block_document_id=form.get("notification") or None,
                                  subject=form.get("subject") or "Flow run {{ flow_run.name }}: " + state,
                                  body=form.get("body") or "{{ event.resource['prefect.resource.name'] }} of "
                                  f"{flow.name} entered {state}.")
    elif then == "call-webhook":
        action = CallWebhook(block_document_id=form.get("webhook") or None,
                             payload=form.get("body") or '{"flow_run": "{{ event.resource.id }}", '
                             '"state": "{{ event.event }}"}')
    else:
        raise ParameterValidationError("then: choose run a deployment, send a notification or call a webhook")
    return AutomationCore(
        name=form.get("name", "").strip() or f"{flow.name} {state.lower()}: {then.replace('-', ' ')}",
        trigger=EventTrigger(expect={f"prefect.flow-run.{state}"},
                             match_related={"prefect.resource.id": f"prefect.flow.{flow.id}",
                                            "prefect.resource.role": "flow"}),
        actions=[action])


@router.post("/automations", response_class=HTMLResponse)
async def create_automation(request: Request) -> Response:
    """Create an automation from the page's form."""
    form = await read_form(request)
    ops = operations_of(request)
    try:
        ops.create_automation(_from_form(form, ops))
    except ValidationError as exc:
        return _page(request, error=validation_message(exc.errors()), status_code=422, form=form)
    except (ObjectNotFound, ParameterValidationError) as exc:
        return _page(request, error=str(exc), status_code=422, form=form)
    return RedirectResponse("/automations", status_code=303, headers=SECURITY_HEADERS)


@router.post("/automations/edit", response_class=HTMLResponse)
async def edit_automation(request: Request) -> Response:
    """Pause, resume or delete an automation."""
    form = await read_form(request)
    ops = operations_of(request)
    automation_id = form.get("id", "")
    try:
        what = form.get("action")
        if what == "delete":
            ops.delete_automation(automation_id)
        elif what in ("pause", "resume"):
            ops.set_automation_enabled(automation_id, what == "resume")
        else:
            return _page(request, error="action: pause, resume or delete", status_code=422)
    except ObjectNotFound as exc:
        return _page(request, error=str(exc), status_code=404)
    return RedirectResponse("/automations", status_code=303, headers=SECURITY_HEADERS)
