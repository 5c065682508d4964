"""Taking an automation's actions when its trigger fires.

Each action is first claimed in the store (one insert-or-skip on automation, firing
key and position), so it is taken at most once across restarts and across servers
sharing a database; then it runs on a thread of its own pool:

- control-plane actions (run, pause or resume a deployment, work pool or automation;
  cancel, change, suspend, resume or delete a flow run) on a small pool, once;
- outbound calls (a webhook, a notification) on a larger pool, each retried with
  backoff (1, 2, 4, 8 s by default) while the receiver is down or answers with an
  error, so a slow or absent receiver holds one thread and never the others.

What happened is kept on the action's row (running, retrying, succeeded, failed, the
attempts and the last error or reply), which the UI and `headwater automation inspect`
show, and as an event: `prefect.automation.action.executed` or `...failed`.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from headwater.core import clock

if TYPE_CHECKING:
    from headwater.core.automation_schemas import AutomationInfo
    from headwater.operations import Operations
    from headwater.server.services.triggers import Firing

__all__ = ["ActionFailed", "ActionRunner", "OUTBOUND_ACTIONS"]

log = logging.getLogger("headwater.server.services")

OUTBOUND_ACTIONS = frozenset({"call-webhook", "send-notification"})
_RUN_ID_NAMESPACE = uuid.UUID("6f1f0a52-7a0e-4c8e-9a55-2f4a8f0b6d11")


class ActionFailed(Exception):
    """An action that cannot succeed by trying again (a missing object, a bad template)."""


def _object_id(event: Any, kind: str) -> str | None:
    """The id of the `prefect.<kind>.<id>` resource the event concerns (itself or related)."""
    if event is None:
        return None
    prefix = f"prefect.{kind}."
    for resource in [event.resource, *event.related]:
        rid = resource.get("prefect.resource.id") or ""
        if rid.startswith("headwater."):
            rid = "prefect." + rid[len("headwater."):]
        if rid.startswith(prefix):
            return rid[len(prefix):]
    return None


class ActionRunner:
    """Claims and takes the actions of firings (see the module docstring).

    Args:
        ops: the control plane over the server's store.
        retry_delays: the waits between attempts of an outbound call.
    """

    def __init__(self, ops: Operations, *, retry_delays: tuple[float, ...] = (1.0, 2.0, 4.0, 8.0)) -> None:
        self.ops = ops
        self.retry_delays = retry_delays
        self._quick = ThreadPoolExecutor(4, thread_name_prefix="headwater-automation-action")
        self._outbound = ThreadPoolExecutor(16, thread_name_prefix="headwater-automation-call")
        self._stop = threading.Event()

    def close(self) -> None:
        """Stop retrying and wait for the actions in progress."""
        self._stop.set()
        self._quick.shutdown(wait=True, cancel_futures=True)
        self._outbound.shutdown(wait=True, cancel_futures=True)

    def fire(self, automation: AutomationInfo, firing: Firing) -> int:
        """Claim and start the actions of one firing; how many were started here."""
        started = 0
        for index, action in enumerate(automation.actions):
            row_id = self.ops.store.automations.claim_action(str(automation.id), firing.key, index, action.type)
            if row_id is None:
                continue  # taken already: before a restart, or by another server
            pool = self._outbound if action.type in OUTBOUND_ACTIONS else self._quick
            try:
                pool.submit(self._run, automation, firing, index, action, row_id)
            except RuntimeError:  # shutting down: the row stays "running", visible
                return started
            started += 1
        return started

    def _run(self, automation: AutomationInfo, firing: Firing, index: int, action: Any, row_id: str) -> None:
        attempts = 0
        delays = list(self.retry_delays) if action.type in OUTBOUND_ACTIONS else []
        while True:
            attempts += 1
            try:
                detail = self._act(automation, firing, index, action)
            except Exception as exc:
                message = f"{type(exc).__name__}: {exc}"
                if delays and not isinstance(exc, ActionFailed) and not self._stop.is_set():
                    self.ops.store.automations.update_action(row_id, "retrying", attempts, message)
                    if not self._stop.wait(delays.pop(0)):
                        continue
                log.warning("automation %r: action %d (%s) failed: %s", automation.name, index, action.type, message)
                self.ops.store.automations.update_action(row_id, "failed", attempts, message)
                self._event("failed", automation, firing, index, action, attempts, message)
                return
            self.ops.store.automations.update_action(row_id, "succeeded", attempts, detail)
            self._event("executed", automation, firing, index, action, attempts, detail)
            return

    def _event(self, outcome: str, automation: AutomationInfo, firing: Firing, index: int, action: Any,
               attempts: int, detail: str | None) -> None:
        related = []
        if firing.event is not None:
            related.append({"prefect.resource.id": f"prefect.event.{firing.event.id}",
                            "prefect.resource.role": "triggering-event"})
        self.ops.emit_control_event(
            f"prefect.automation.action.{outcome}",
            {"prefect.resource.id": f"prefect.automation.{automation.id}", "prefect.resource.name": automation.name},
            related, {"action_index": index, "action_type": action.type, "attempts": attempts, "detail": detail})

    # -- the actions -----------------------------------------------------------------
    def _context(self, automation: AutomationInfo, firing: Firing) -> dict[str, Any]:
        from headwater.exceptions import ObjectNotFound

        context: dict[str, Any] = {"automation": automation, "event": firing.event, "labels": firing.labels}
        run_id = _object_id(firing.event, "flow-run")
        if run_id is not None:
            try:
                context["flow_run"] = self.ops.read_flow_run(run_id)
            except ObjectNotFound:
                pass
        deployment_id = _object_id(firing.event, "deployment")
        if deployment_id is not None:
            try:
                context["deployment"] = self.ops.read_deployment(deployment_id)
            except ObjectNotFound:
                pass
        return context

    def _target(self, action: Any, firing: Firing, field: str, kind: str) -> str:
        value = getattr(action, field, None)
        if getattr(action, "source", "selected") == "selected" and value is not None:
            return str(value)
        if kind == "flow-run":  # as Prefect's: a trigger's bucket per flow run names it first (proactive firings)
            bucket = firing.labels.get("prefect.resource.id") or ""
            if bucket.startswith(("prefect.flow-run.", "headwater.flow-run.")):
                return bucket.split("flow-run.", 1)[1]
        found = _object_id(firing.event, kind)
        if found is None:
            raise ActionFailed(f"the triggering event concerns no {kind.replace('-', ' ')} to act on")
        return found

    def _act(self, automation: AutomationInfo, firing: Firing, index: int, action: Any) -> str | None:
        from headwater.core.api_schemas import StateCreate
        from headwater.core.deployment_schemas import DeploymentRunCreate, DeploymentUpdate, WorkPoolUpdate

        kind = action.type
        ops = self.ops
        if kind == "do-nothing":
            return None
        if kind == "run-deployment":
            from headwater.operations.automation_templates import render_parameters

            deployment_id = self._target(action, firing, "deployment_id", "deployment")
            try:
                parameters = render_parameters(action.parameters or {}, self._context(automation, firing))
            except Exception as exc:
                raise ActionFailed(f"the parameters' templates failed: {exc}") from None
            run_id = str(uuid.uuid5(_RUN_ID_NAMESPACE, f"{automation.id}:{firing.key}:{index}"))
            delay: timedelta = action.schedule_after
            when = now_utc() + delay if delay else None
            run = ops.create_deployment_run(deployment_id, DeploymentRunCreate(
                parameters=parameters, id=run_id, scheduled_time=when, tags=["automation"]))
            return f"flow run {run.id}"
        if kind in ("pause-deployment", "resume-deployment"):
            deployment_id = self._target(action, firing, "deployment_id", "deployment")
            ops.update_deployment(deployment_id, DeploymentUpdate(paused=kind == "pause-deployment"))
            return None
        if kind in ("pause-work-pool", "resume-work-pool"):
            pool_id = self._target(action, firing, "work_pool_id", "work-pool")
            names = [p.name for p in ops.list_work_pools() if str(p.id) == pool_id]
            if not names:
                raise ActionFailed(f"no work pool with id {pool_id}")
            ops.update_work_pool(names[0], WorkPoolUpdate(paused=kind == "pause-work-pool"))
            return None
        if kind in ("pause-automation", "resume-automation"):
            target = self._target(action, firing, "automation_id", "automation")
            ops.set_automation_enabled(target, kind == "resume-automation")
            return None
        if kind in ("cancel-flow-run", "change-flow-run-state", "delete-flow-run", "suspend-flow-run",
                    "resume-flow-run"):
            run_id = self._target(action, firing, "", "flow-run")
            if kind == "cancel-flow-run":
                ops.cancel_flow_run(run_id)
            elif kind == "delete-flow-run":
                ops.delete_flow_run(run_id)
            elif kind == "change-flow-run-state":
                ops.set_flow_run_state(run_id, StateCreate(type=action.state, name=action.name,
                                                           message=action.message), force=action.force)
            elif kind == "suspend-flow-run":
                self._suspend(automation, run_id)
            else:
                from headwater.core.flow_run_input_schemas import ResumeRequest

                result = ops.resume_flow_run(run_id, ResumeRequest())
                if result.status != "ACCEPT":
                    raise ActionFailed(f"Failed to resume flow run: {_reason(result)}")
            return None
        if kind in OUTBOUND_ACTIONS:
            return self._call(automation, firing, action)
        raise ActionFailed(f"headwater does not carry out {kind!r} actions")

    def _suspend(self, automation: AutomationInfo, run_id: str) -> None:
        """Suspend a running flow run as Prefect's action does: a Suspended state that
        waits an hour, its process ended and the run rescheduled when resumed."""
        from headwater.core.api_schemas import StateCreate
        from headwater.core.states import StateType

        details = {"pause_timeout": (now_utc() + timedelta(seconds=3600)).isoformat(), "pause_reschedule": True}
        result = self.ops.set_flow_run_state(run_id, StateCreate(
            type=StateType.PAUSED, name="Suspended", message=f"Suspended by Automation {automation.id}",
            details=details))
        if result.status != "ACCEPT":
            raise ActionFailed(f"Failed to set state: {_reason(result)}")

    def _call(self, automation: AutomationInfo, firing: Firing, action: Any) -> str | None:
        from headwater.blocks.core import Block
        from headwater.exceptions import ObjectNotFound
        from headwater.operations.automation_templates import render_text

        try:
            document = self.ops.read_block_document(str(action.block_document_id), include_secrets=True)
        except ObjectNotFound:
            raise ActionFailed(f"block document {action.block_document_id} was deleted") from None
        block: Any = Block._from_document(document)  # the saved block, secrets included
        context = self._context(automation, firing)
        try:
            if action.type == "call-webhook":
                payload = render_text(action.payload, context)
            else:
                subject, body = render_text(action.subject, context), render_text(action.body, context)
        except Exception as exc:
            raise ActionFailed(f"the template failed: {exc}") from None
        if action.type == "call-webhook":
            response = asyncio.run(block.call(payload=payload or None))
            response.raise_for_status()
            return f"HTTP {response.status_code}: {response.text[:500]}"
        result = block.notify(body, subject)
        if inspect.isawaitable(result):
            asyncio.run(result)  # type: ignore[arg-type]  # a coroutine from an async-capable block
        return None


def _reason(result: Any) -> str:
    return str((result.details or {}).get("reason") or result.status)


def now_utc() -> datetime:
    """The current time from the one clock, as an aware datetime."""
    return datetime.fromtimestamp(clock.now(), timezone.utc)
