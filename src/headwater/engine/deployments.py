"""Deploying flows: `flow.to_deployment()`, `flow.deploy()`, `flow.serve()`, and the
module-level `serve()` / `deploy()`.

A deployment records where the flow's code is (its *entrypoint*, found from where
the flow is defined), default parameters and their JSON schema (from the flow's type
hints), schedules and options; the flow's `retries` and `retry_delay_seconds` (so a
run whose process dies is retried too: store/workers.py `crash_run`); and, for a
Prefect 1 style `with Flow(...)` flow, its static graph (so the UI draws it before
the first run). `deploy` registers deployments for workers of a work
pool; `serve` registers them without a pool and runs their runs itself, each in its
own process, until stopped (Ctrl+C). Re-deploying a deployment of the same flow and
name updates it in place.

With `HEADWATER_API_URL` set, deployments go to the server; otherwise into the
embedded database, and `serve` (or `headwater worker start`) also creates the
scheduled runs, since no server does.
"""

from __future__ import annotations

import inspect
import signal
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from headwater.exceptions import HeadwaterError, InvalidDefinitionError

if TYPE_CHECKING:
    from headwater.core.deployment_schemas import DeploymentCreate, DeploymentInfo, ScheduleSpec
    from headwater.core.settings import Settings
    from headwater.engine.flows import Flow
    from headwater.client.transport import Transport

__all__ = ["RunnerDeployment", "deploy", "entrypoint_of", "in_worker_child", "parameter_schema", "retry_policy",
           "serve", "static_graph_of", "to_deployment"]

_in_worker_child = False


def in_worker_child(value: bool | None = None) -> bool:
    """Whether this process runs a flow run for a worker (set by worker/child.py).

    There, loading a flow's file must not register or serve it again: Prefect 1 files
    often call `flow.register()` at module level.
    """
    global _in_worker_child
    if value is not None:
        _in_worker_child = value
    return _in_worker_child


@dataclass
class RunnerDeployment:
    """A deployment not registered yet: what `flow.to_deployment()` returns.

    Pass several to `headwater.serve(...)` or `headwater.deploy(...)`.
    """

    name: str
    flow_name: str
    entrypoint: str
    parameters: dict[str, Any] = field(default_factory=dict)
    parameter_schema: dict[str, Any] | None = None
    schedules: list[ScheduleSpec] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    description: str | None = None
    version: str | None = None
    paused: bool = False
    concurrency_limit: int | None = None
    concurrency_options: Any = None  # a ConcurrencyOptions (collision strategy), None: ENQUEUE
    catchup: str = "all"
    project: str = "default"
    work_pool_name: str | None = None
    create_project: bool = True
    retries: int = 0
    retry_delay_seconds: list[float] = field(default_factory=list)
    static_graph: dict[str, Any] | None = None
    triggers: list[Any] = field(default_factory=list)
    job_variables: dict[str, Any] = field(default_factory=dict)
    pull_steps: list[dict[str, Any]] | None = None
    storage: Any = None

    def to_create(self) -> DeploymentCreate:
        """The API body that creates (or updates) it."""
        from headwater.core.deployment_schemas import DeploymentCreate

        return DeploymentCreate(
            name=self.name, flow_name=self.flow_name, entrypoint=self.entrypoint, project=self.project,
            work_pool_name=self.work_pool_name, parameters=self.parameters, parameter_schema=self.parameter_schema,
            tags=self.tags, description=self.description, version=self.version, paused=self.paused,
            concurrency_limit=self.concurrency_limit, concurrency_options=self.concurrency_options,
            catchup=self.catchup, schedules=self.schedules, create_project=self.create_project, retries=self.retries,
            retry_delay_seconds=self.retry_delay_seconds, static_graph=self.static_graph,
            job_variables=self.job_variables, pull_steps=self.pull_steps,
        )


def entrypoint_of(flow: Flow[..., Any], caller_globals: dict[str, Any] | None = None) -> str:
    """Where a flow is defined, as an entrypoint: `/abs/path/file.py:name`, or
    `package.module:name` for a flow inside a package.

    Raises:
        InvalidDefinitionError: the flow is not a module-level name anywhere (defined
            in a function or an interactive session); pass `entrypoint=` then.
    """
    namespaces = [caller_globals] if caller_globals is not None else []
    module = sys.modules.get(getattr(flow.fn, "__module__", "") or "")
    if module is not None:
        namespaces.append(vars(module))
    for namespace in namespaces:
        attribute = next((k for k, v in namespace.items() if v is flow and not k.startswith("_")), None)
        if attribute is None:
            continue
        module_name = str(namespace.get("__name__") or "")
        if "." in module_name and not module_name.startswith("headwater_entrypoint_"):
            return f"{module_name}:{attribute}"  # inside a package: its relative imports need the package
        file = namespace.get("__file__")
        if file:
            return f"{Path(file).resolve()}:{attribute}"
    raise InvalidDefinitionError(
        f"cannot tell where flow {flow.name!r} is defined: it is not a module-level name of a file. Define it at "
        "the top level of a .py file, or pass entrypoint='path/to/file.py:flow_function'"
    )


def parameter_schema(flow: Flow[..., Any]) -> dict[str, Any]:
    """The JSON schema of the flow's parameters, from its signature and type hints.

    Parameters without a hint accept anything; a `**kwargs` parameter allows
    parameters not named in the signature.
    """
    from pydantic import TypeAdapter

    properties: dict[str, Any] = {}
    required: list[str] = []
    definitions: dict[str, Any] = {}
    extra_allowed = False
    adapters = flow.parameter_adapters() if hasattr(flow, "parameter_adapters") else {}
    for name, parameter in flow.signature.parameters.items():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            extra_allowed = True
            continue
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            continue
        schema: dict[str, Any] = {}
        adapter = adapters.get(name)
        if adapter is not None:
            try:
                schema = adapter.json_schema()
            except Exception:  # a type JSON cannot describe: anything is accepted for it
                schema = {}
        definitions.update(schema.pop("$defs", {}))
        schema.setdefault("title", name)
        if parameter.default is inspect.Parameter.empty:
            required.append(name)
        else:
            try:
                schema["default"] = TypeAdapter(Any).dump_python(parameter.default, mode="json")
            except Exception:
                pass
        properties[name] = schema
    result: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": extra_allowed}
    if required:
        result["required"] = required
    if definitions:
        result["$defs"] = definitions
    return result


def retry_policy(flow: Flow[..., Any]) -> tuple[int, list[float]]:
    """The flow's `retries` and its delays as a list (item n-1 before retry n; the last
    repeats): what a deployment keeps to retry runs whose process died.

    Jitter (`retry_jitter_factor`) applies to retries inside the run's process only.
    """
    options = flow.options
    retries = int(getattr(options, "retries", 0) or 0)
    setting = getattr(options, "retry_delay_seconds", 0)
    try:
        delays = list(setting(retries)) if callable(setting) else list(setting) if isinstance(
            setting, (list, tuple)) else [setting]
        delays = [max(0.0, float(d)) for d in delays]
    except (TypeError, ValueError):  # a callable that does not give numbers: retry at once
        delays = []
    return retries, [] if delays in ([], [0.0]) else delays


def static_graph_of(flow: Flow[..., Any]) -> dict[str, Any] | None:
    """A Prefect 1 style flow's graph as data (`flow.graph.as_dict()`); None for a `@flow`,
    and for a graph too big to keep with a deployment (over 10,000 nodes or 50,000 edges)."""
    if getattr(flow, "graph_builder", None) is None:  # cheap: a @flow needs no import of the static engine
        return None
    from headwater.engine.static.flow import StaticFlow

    if not isinstance(flow, StaticFlow):
        return None
    graph = flow.graph.as_dict()
    if len(graph["nodes"]) > 10_000 or len(graph["edges"]) > 50_000:
        return None
    return graph


def build_schedules(*, cron: str | list[str] | None = None, interval: float | Any | None = None,
                    rrule: str | None = None, timezone: str | None = None, anchor_date: datetime | None = None,
                    schedules: list[Any] | None = None) -> list[ScheduleSpec]:
    """Schedule specs from `serve`/`deploy`'s arguments (`interval` in seconds or a timedelta).

    Raises:
        InvalidDefinitionError: an invalid cron, time zone, interval or rule, named.
    """
    from pydantic import ValidationError

    from headwater.core.deployment_schemas import ScheduleSpec

    zone = timezone or "UTC"
    given: list[dict[str, Any]] = []
    for expression in ([cron] if isinstance(cron, str) else list(cron or [])):
        given.append({"cron": expression, "timezone": zone})
    if interval is not None:
        seconds = interval.total_seconds() if hasattr(interval, "total_seconds") else interval
        given.append({"interval": seconds, "timezone": zone, "anchor": anchor_date})
    if rrule is not None:
        given.append({"rrule": rrule, "timezone": zone})
    for item in schedules or []:
        if hasattr(item, "schedule_spec"):  # prefect.client.schemas.schedules / actions models
            given.append(item.schedule_spec())
            continue
        given.append(item.model_dump(exclude_unset=True) if hasattr(item, "model_dump") else dict(item))
    specs = []
    for item in given:
        try:
            specs.append(ScheduleSpec(**item))
        except ValidationError as exc:
            problem = exc.errors()[0]
            raise InvalidDefinitionError(f"invalid schedule: {problem['msg'].removeprefix('Value error, ')}") from None
    return specs


def to_deployment(flow: Flow[..., Any], name: str, *, cron: str | list[str] | None = None,
                  interval: Any = None, rrule: str | None = None, timezone: str | None = None,
                  anchor_date: datetime | None = None, schedules: list[Any] | None = None,
                  parameters: dict[str, Any] | None = None, tags: list[str] | None = None,
                  description: str | None = None, version: str | None = None, paused: bool = False,
                  concurrency_limit: Any = None, catchup: str = "all", project: str = "default",
                  work_pool_name: str | None = None, entrypoint: str | None = None, create_project: bool = True,
                  caller_globals: dict[str, Any] | None = None, triggers: list[Any] | None = None,
                  job_variables: dict[str, Any] | None = None) -> RunnerDeployment:
    """Describe a deployment of `flow` (registered by `serve` or `deploy`).

    A flow made by `flow.from_source(...)` is deployed with its storage's pull step and
    its entrypoint relative to that code (engine/code_source.py).

    Raises:
        InvalidDefinitionError: a bad name, schedule, catch-up policy, or default
            parameters that fail the flow's type hints; or the flow's file cannot be found.
    """
    from headwater.core.parameter_schemas import check_parameters
    from headwater.engine.flows import check_flow_name
    from headwater.exceptions import ParameterValidationError

    if not isinstance(name, str) or not name.strip():
        raise InvalidDefinitionError(f"invalid deployment name {name!r}: give a non-empty name")
    if not name.endswith(".py"):  # as in Prefect, which skips the check for a file name
        check_flow_name(name)
    if catchup not in ("all", "latest", "skip"):
        raise InvalidDefinitionError(f"invalid catchup={catchup!r}: expected 'all', 'latest' or 'skip'")
    schema = parameter_schema(flow)
    defaults = dict(parameters or {})
    try:
        check_parameters({**schema, "required": []}, defaults)
    except ParameterValidationError as exc:
        raise InvalidDefinitionError(f"default parameters of deployment {name!r}: {exc}") from None
    retries, delays = retry_policy(flow)
    storage = getattr(flow, "_storage", None)
    pull_steps = None
    # `from_source`'s code storage (a Prefect 1 flow's `_storage` is its `flow.storage`: no pull step).
    if storage is not None and entrypoint is None and hasattr(storage, "to_pull_step") and getattr(
            flow, "_entrypoint", None):
        entrypoint = flow._entrypoint
        step = storage.to_pull_step()
        pull_steps = list(step) if isinstance(step, list) else [step]
    concurrency_limit, concurrency_options = _concurrency(concurrency_limit)
    return RunnerDeployment(
        job_variables=dict(job_variables or {}), pull_steps=pull_steps, storage=storage,
        name=name.strip(), flow_name=flow.name, entrypoint=entrypoint or entrypoint_of(flow, caller_globals),
        parameters=defaults, parameter_schema=schema,
        schedules=build_schedules(cron=cron, interval=interval, rrule=rrule, timezone=timezone,
                                  anchor_date=anchor_date, schedules=schedules),
        tags=list(tags or []), description=description or inspect.getdoc(flow.fn), version=version,
        paused=paused, concurrency_limit=concurrency_limit, concurrency_options=concurrency_options,
        catchup=catchup, project=project,
        work_pool_name=work_pool_name, create_project=create_project, retries=retries,
        retry_delay_seconds=delays, static_graph=static_graph_of(flow), triggers=checked_triggers(triggers),
    )


def checked_triggers(triggers: list[Any] | None) -> list[Any]:
    """Deployment triggers given as trigger objects or dicts, checked.

    Raises:
        InvalidDefinitionError: one is not a trigger, naming it and the field.
    """
    from pydantic import TypeAdapter, ValidationError

    from headwater.core.deployment_triggers import DeploymentTriggerTypes
    from headwater.core.triggers import Trigger

    checked: list[Any] = []
    for index, trigger in enumerate(triggers or []):
        if isinstance(trigger, Trigger):
            checked.append(trigger)
            continue
        try:
            checked.append(TypeAdapter(DeploymentTriggerTypes).validate_python(trigger))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"] if not str(p).startswith("Deployment"))
            raise InvalidDefinitionError(f"triggers[{index}]{'.' + where if where else ''}: {first['msg']}") from None
    return checked


def sync_triggers(control: Any, deployment: DeploymentInfo, triggers: list[Any]) -> None:
    """Make the deployment's automations those of `triggers` (as Prefect: the ones it
    owned before are deleted, then one automation per trigger is created)."""
    from uuid import UUID

    control.delete_owned_automations(f"prefect.deployment.{deployment.id}")
    for trigger in triggers:
        trigger.set_deployment_id(UUID(str(deployment.id)))
        control.create_automation(trigger.as_automation())


def _concurrency(limit: Any) -> tuple[int | None, Any]:
    """`concurrency_limit=` as a limit and its options: an int (ENQUEUE), or a
    `ConcurrencyLimitConfig` (or its dict) with a collision strategy.

    Raises:
        pydantic.ValidationError: a config that does not validate (as in Prefect), naming the field.
    """
    if limit is None or (isinstance(limit, int) and not isinstance(limit, bool)):
        return limit, None
    from headwater.core.deployment_schemas import ConcurrencyLimitConfig, ConcurrencyOptions

    config = ConcurrencyLimitConfig.model_validate(limit.model_dump() if hasattr(limit, "model_dump") else limit)
    return config.limit, ConcurrencyOptions(collision_strategy=config.collision_strategy,
                                            grace_period_seconds=config.grace_period_seconds)


def _control(settings: Settings | None) -> Transport:
    """The control plane (server or database) through the client's transport."""
    from headwater.client.transport import open_transport
    from headwater.core.settings import get_settings

    return open_transport(settings or get_settings())


def deploy(*deployments: RunnerDeployment, work_pool_name: str | None = None,
           settings: Settings | None = None) -> list[DeploymentInfo]:
    """Register deployments for the workers of a work pool (default: each one's, else "default").

    Returns:
        The registered deployments.

    Raises:
        ObjectNotFound: a work pool or project does not exist (the message says how to create it).
        StoreError: the server or database cannot be reached.
    """
    if in_worker_child():
        return []
    control = _control(settings)
    try:
        registered = []
        for deployment in deployments:
            body = deployment.to_create()
            pool = work_pool_name or deployment.work_pool_name or "default"
            registered.append(control.upsert_deployment(body.model_copy(update={"work_pool_name": pool})))
            sync_triggers(control, registered[-1], deployment.triggers)
        return registered
    finally:
        control.close()


def serve(*deployments: RunnerDeployment, limit: int | None = None, poll_interval: float | None = None,
          settings: Settings | None = None, until: float | None = None) -> None:
    """Register deployments and run their scheduled and triggered runs in this process
    (each run in its own subprocess) until Ctrl+C or SIGTERM; no worker needed.

    Args:
        limit: most runs at once.
        poll_interval: seconds between looks for due runs (default:
            `HEADWATER_WORKER_POLL_INTERVAL_SECONDS`, 0.5).
        until: stop at this monotonic time (tests and benchmarks).

    Raises:
        StoreError: the server or database cannot be reached at start.
    """
    if in_worker_child():
        return
    from headwater.worker.runner import Worker, show_worker_logs

    show_worker_logs()
    settings = settings or _settings()
    control = _control(settings)
    try:
        registered = [control.upsert_deployment(d.to_create().model_copy(update={"work_pool_name": None}))
                      for d in deployments]
        for deployment, info in zip(deployments, registered):
            sync_triggers(control, info, deployment.triggers)
        names = ", ".join(d.full_name for d in registered)
        sys.stderr.write(f"headwater: serving {names} ({control.url}). Run it with `headwater deployment run "
                         f"'{registered[0].full_name}'`; Ctrl+C stops.\n")
        worker = Worker(control, name=f"serve-{registered[0].flow_name}", deployment_ids=[d.id for d in registered],
                        limit=limit,
                        poll_interval=settings.worker_poll_interval_seconds if poll_interval is None else poll_interval,
                        run_scheduler=not settings.api_url)
        with _stop_on_sigterm(worker):
            try:
                worker.run(until=until)
            except KeyboardInterrupt:
                worker.shutdown()
    finally:
        control.close()


def _settings() -> Settings:
    from headwater.core.settings import get_settings

    return get_settings()


class _stop_on_sigterm:
    """SIGTERM stops the loop cleanly (runs end, reported) when in the main thread."""

    def __init__(self, worker: Any) -> None:
        self.worker = worker
        self.previous: Any = None

    def __enter__(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, lambda *_: self.worker.stop())

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)


def register_static(flow: Flow[..., Any], project_name: str | None, *, create_project: bool,
                    caller_globals: dict[str, Any] | None, labels: list[str] | None = None,
                    settings: Settings | None = None, entrypoint: str | None = None,
                    pull_steps: list[dict[str, Any]] | None = None) -> str:
    """Prefect 1's `flow.register(project_name=...)`: a deployment named after the flow,
    in that project, for the workers of the default pool. Returns its id.

    Raises:
        ObjectNotFound: the project does not exist and `create_project` is False (the
            message says `headwater project create NAME`).
    """
    if in_worker_child():
        return ""
    if not project_name:
        raise HeadwaterError(f"flow.register() needs project_name=...: create one with `headwater project create "
                             f"NAME`, then flow.register(project_name='NAME') registers flow {flow.name!r} in it")
    if not create_project:
        control = _control(settings)
        try:
            control.read_project(project_name)  # the first thing a Prefect 1 user needs to hear about
        finally:
            control.close()
    deployment = to_deployment(flow, flow.name.replace("/", "-"), project=project_name, tags=labels,
                               create_project=create_project, caller_globals=caller_globals,
                               work_pool_name="default", entrypoint=entrypoint)
    if pull_steps:  # Prefect 1's git storage: each run checks out the code first
        deployment.pull_steps = pull_steps
    (info,) = deploy(deployment, settings=settings)
    sys.stderr.write(f"headwater: registered {info.full_name} in project {project_name!r}. Start a worker with "
                     f"`headwater agent local start`, run it with `headwater deployment run '{info.full_name}'`.\n")
    return info.id
