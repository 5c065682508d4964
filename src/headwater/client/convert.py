"""Between the client's Prefect-shaped models and the operations' models.

`*_request` turn the client's filters into the request of an operation; a criterion
headwater cannot evaluate yet is refused with `ValueError` naming it, never ignored.
`to_*` turn what an operation returns into the client's objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from headwater.client.schemas import objects as o
from headwater.core import api_schemas as api
from headwater.core.states import LazyResult, State, StateType
from headwater.exceptions import MissingResult

if TYPE_CHECKING:
    from headwater.client.schemas import filters as f
    from headwater.core.deployment_schemas import ConcurrencyOptions, DeploymentInfo, WorkerInfo, WorkPoolInfo
    from headwater.core.limits import ConcurrencyLimitInfo
    from headwater.core.schemas import FlowRunInfo, LogInfo, StateInfo, TaskRunInfo

__all__ = [
    "concurrency_options", "deployment_matches", "flow_request", "flow_run_request", "idempotent_id", "jsonable", "log_request",
    "pool_matches", "state_details", "task_inputs", "task_run_request", "to_deployment", "to_flow", "to_flow_run", "to_global_limit", "to_log", "to_state", "to_tag_limit", "to_task_run", "to_work_pool",
    "to_worker", "worker_matches",
]

_NOT_EVALUATED = "headwater cannot filter by {} yet; filter the returned objects in Python instead"


def _refuse(name: str) -> ValueError:
    return ValueError(_NOT_EVALUATED.format(name))


def _check_operator(spec: Any, name: str) -> None:
    if spec is not None and getattr(spec, "operator", "and_") not in ("and_", None) \
            and getattr(spec.operator, "value", spec.operator) != "and_":
        raise _refuse(f"{name}.operator=or_")


def _plain(spec: Any, name: str, *, drop: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """The set criteria of a filter as a dict; `drop` names criteria headwater lacks."""
    if spec is None:
        return None
    _check_operator(spec, name)
    data = spec.model_dump(exclude_none=True, exclude={"operator"})
    for field in drop:
        sub = data.get(field)
        if sub:
            raise _refuse(f"{name}.{field}")
        data.pop(field, None)
    plain: dict[str, Any] = _drop_empty(data)
    return plain


def _drop_empty(value: Any) -> Any:
    if isinstance(value, dict):
        cleaned = {k: _drop_empty(v) for k, v in value.items() if k != "operator"}
        return {k: v for k, v in cleaned.items() if v is not None}
    if isinstance(value, list):
        return [getattr(item, "value", item) for item in value]
    return value


def _flow_filter(spec: f.FlowFilter | None) -> api.FlowFilter | None:
    data = _plain(spec, "flow_filter")
    if data is None:
        return None
    tags = data.pop("tags", None)
    if tags and (tags.get("all_") or tags.get("is_null_") is False):
        raise _refuse("flow_filter.tags (headwater's flows carry no tags)")
    return api.FlowFilter.model_validate(data)


_FLOW_RUN_UNEVALUATED = ("parent_flow_run_id", "flow_version", "idempotency_key", "next_scheduled_start_time",
                         "work_queue_name", "created_by")


def _flow_run_filter(spec: f.FlowRunFilter | None, deployment_ids: list[str] | None) -> api.FlowRunFilter | None:
    data = _plain(spec, "flow_run_filter", drop=_FLOW_RUN_UNEVALUATED) or {}
    if spec is not None and spec.state is not None:
        _check_operator(spec.state, "flow_run_filter.state")
    tags = data.get("tags")
    if tags and tags.get("any_") is not None:
        if len(tags["any_"]) > 1:
            raise _refuse("flow_run_filter.tags.any_ with several tags")
        tags["all_"] = tags.pop("any_") + tags.get("all_", [])
    if deployment_ids is not None:
        existing = data.get("deployment_id", {}).get("any_")
        ids = deployment_ids if existing is None else [i for i in map(str, existing) if i in deployment_ids]
        data.setdefault("deployment_id", {})["any_"] = ids
    return api.FlowRunFilter.model_validate(data) if data else None


def _task_run_filter(spec: f.TaskRunFilter | None) -> api.TaskRunFilter | None:
    data = _plain(spec, "task_run_filter", drop=("end_time", "subflow_runs"))
    return api.TaskRunFilter.model_validate(data) if data else None


def _page(limit: int | None, offset: int | None) -> dict[str, int]:
    page = {"offset": offset or 0}
    page["limit"] = api.MAX_PAGE if limit is None else limit
    return page


def flow_run_request(flow_filter: Any, flow_run_filter: Any, task_run_filter: Any, deployment_ids: list[str] | None,
                     sort: Any, limit: int | None, offset: int | None) -> api.FlowRunFilterRequest:
    """The request of `filter_flow_runs` for the client's `read_flow_runs` arguments."""
    return api.FlowRunFilterRequest(
        flows=_flow_filter(flow_filter), flow_runs=_flow_run_filter(flow_run_filter, deployment_ids),
        task_runs=_task_run_filter(task_run_filter), sort=api.FlowRunSort(getattr(sort, "value", sort) or "ID_DESC"),
        **_page(limit, offset))


def task_run_request(flow_filter: Any, flow_run_filter: Any, task_run_filter: Any, deployment_ids: list[str] | None,
                     sort: Any, limit: int | None, offset: int | None) -> api.TaskRunFilterRequest:
    """The request of `filter_task_runs` for the client's `read_task_runs` arguments."""
    return api.TaskRunFilterRequest(
        flows=_flow_filter(flow_filter), flow_runs=_flow_run_filter(flow_run_filter, deployment_ids),
        task_runs=_task_run_filter(task_run_filter), sort=api.TaskRunSort(getattr(sort, "value", sort) or "ID_DESC"),
        **_page(limit, offset))


def flow_request(flow_filter: Any, sort: Any, limit: int | None, offset: int | None) -> api.FlowFilterRequest:
    """The request of `filter_flows`."""
    return api.FlowFilterRequest(flows=_flow_filter(flow_filter), sort=getattr(sort, "value", sort) or "NAME_ASC",
                                 **_page(limit, offset))


def log_request(log_filter: Any, sort: Any, limit: int | None, offset: int | None) -> api.LogFilterRequest:
    """The request of `filter_logs`."""
    data = _plain(log_filter, "log_filter", drop=("name", "text"))
    return api.LogFilterRequest(logs=api.LogFilter.model_validate(data) if data else None,
                                sort=api.LogSort(getattr(sort, "value", sort) or "TIMESTAMP_ASC"),
                                **_page(limit, offset))


# -- what operations return, as the client's objects ----------------------------------
def _uuid(value: str | None) -> UUID | None:
    if value is None:
        return None
    try:
        return UUID(value)
    except ValueError:
        return None


def to_state(info: StateInfo | None, *, flow_run_id: str | None = None,
             task_run_id: str | None = None) -> o.RecordedState | None:
    """A stored state of the given run as a `State` with its `state_details` (no result data)."""
    if info is None:
        return None
    state = o.RecordedState(StateType(info.type), info.name, info.message, ts=info.timestamp.timestamp(),
                            details=info.details,
                            state_details=state_details(info.details, flow_run_id, task_run_id))
    if task_run_id is not None and state.type is StateType.COMPLETED:
        state.data = _BackgroundResult(task_run_id)
    return state


class _BackgroundResult(LazyResult):
    """A task run's result as a state read from the client gives it: a background run
    (`delay()`) keeps its result in the task scheduling storage, found when asked for
    (as Prefect's client states load their result record); other runs have none here."""

    __slots__ = ("task_run_id",)

    def __init__(self, task_run_id: str) -> None:
        self.task_run_id = task_run_id

    def load(self) -> Any:
        from headwater.client.kept import kept_client
        from headwater.core.background_schemas import BackgroundStatusRequest
        from headwater.engine.background.storage import StoredOutcome

        found = kept_client().transport.read_background_task_runs(BackgroundStatusRequest(ids=[self.task_run_id]))
        if not found or found[0].status != "DONE":
            raise MissingResult("this Completed state carries no result: it was made without data, "
                                "or its run's result was not kept (persist_result=True keeps it)")
        return StoredOutcome(found[0].storage, self.task_run_id, found[0].outcome).load()


def state_details(details: dict[str, Any] | None, flow_run_id: str | None,
                  task_run_id: str | None) -> o.StateDetails:
    """Prefect's `StateDetails` from the run ids and the details headwater stored with the state."""
    facts = details or {}
    return o.StateDetails(
        flow_run_id=_uuid(flow_run_id), task_run_id=_uuid(task_run_id),
        scheduled_time=_moment(facts.get("scheduled_time")), cache_key=facts.get("cache_key"),
        cache_expiration=_moment(facts.get("expires")), pause_key=facts.get("pause_key"),
        pause_timeout=_moment(facts.get("pause_timeout")), pause_reschedule=bool(facts.get("pause_reschedule")),
        run_input_keyset=facts.get("run_input_keyset"))


def _moment(value: Any) -> Any:
    """A stored instant (epoch seconds, ISO text or datetime) as an aware datetime, or None."""
    from datetime import datetime, timezone

    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def task_inputs(edges: list[api.UpstreamDependency]) -> dict[str, list[o.TaskRunInput]]:
    """A task run's recorded input edges as Prefect's `task_inputs`: parameter -> the task
    runs that fed it (the runs it waited for under `wait_for`)."""
    inputs: dict[str, list[o.TaskRunInput]] = {}
    for edge in edges:
        key = "wait_for" if edge.kind == "wait_for" else edge.parameter
        upstream = _uuid(edge.id)
        listed = inputs.setdefault(key, [])
        if upstream is not None and all(getattr(i, "id", None) != upstream for i in listed):
            listed.append(o.TaskRunResult(id=upstream))
    return inputs


def _run_time(start: Any, end: Any) -> Any:
    from datetime import timedelta

    return end - start if start is not None and end is not None else timedelta(0)


def to_flow(info: api.FlowInfo) -> o.Flow:
    """A flow."""
    return o.Flow(id=UUID(info.id), name=info.name, created=info.created, updated=info.created)


def to_flow_run(info: FlowRunInfo) -> o.FlowRun:
    """A flow run."""
    state = to_state(info.state, flow_run_id=info.id)
    if state is not None and state.is_scheduled() and state.state_details.scheduled_time is None:
        # headwater keeps a scheduled run's due time as the run's expected start.
        state.state_details.scheduled_time = info.expected_start_time
    return o.FlowRun(
        id=UUID(info.id), name=info.name, flow_id=_uuid(info.flow_id), flow_name=info.flow_name,
        deployment_id=_uuid(info.deployment_id), parameters=info.parameters, tags=info.tags,
        parent_task_run_id=_uuid(info.parent_task_run_id), state=state,
        state_type=state.type if state else None, state_name=state.name if state else None,
        run_count=info.run_count, expected_start_time=info.expected_start_time, job_variables=info.job_variables,
        next_scheduled_start_time=info.expected_start_time if state is not None and state.is_scheduled() else None,
        start_time=info.start_time, end_time=info.end_time, total_run_time=_run_time(info.start_time, info.end_time),
        created=info.created, updated=info.state.timestamp if info.state else info.created)


def to_task_run(info: TaskRunInfo, edges: list[api.UpstreamDependency] | None = None) -> o.TaskRun:
    """A task run, with its recorded input edges (`edges`) as its `task_inputs`."""
    state = to_state(info.state, flow_run_id=info.flow_run_id, task_run_id=info.id)
    return o.TaskRun(
        id=UUID(info.id), name=info.name, flow_run_id=_uuid(info.flow_run_id), task_key=info.task_key,
        dynamic_key=str(info.dynamic_key), task_name=info.task_name, tags=info.tags, state=state,
        state_type=state.type if state else None, state_name=state.name if state else None,
        run_count=info.run_count, start_time=info.start_time, end_time=info.end_time,
        total_run_time=_run_time(info.start_time, info.end_time),
        task_inputs=task_inputs(edges or []), created=info.created, updated=info.state.timestamp if info.state else info.created)


def to_log(info: LogInfo) -> o.Log:
    """A log line."""
    return o.Log(name=info.logger, level=info.level, message=info.message, timestamp=info.timestamp,
                 flow_run_id=_uuid(info.flow_run_id), task_run_id=_uuid(info.task_run_id))


def concurrency_options(options: Any) -> ConcurrencyOptions | None:
    """Prefect's `concurrency_options` (a `ConcurrencyOptions`, its dict, or None) as headwater's."""
    from headwater.core.deployment_schemas import ConcurrencyOptions

    if options is None:
        return None
    return ConcurrencyOptions.model_validate(options.model_dump() if hasattr(options, "model_dump") else options)


def to_deployment(info: DeploymentInfo, flow_id: str | None = None) -> o.Deployment:
    """A deployment (of the flow `flow_id`)."""
    return o.Deployment(
        id=UUID(info.id), flow_id=_uuid(flow_id), name=info.name, flow_name=info.flow_name, version=info.version,
        description=info.description, paused=info.paused, parameters=info.parameters,
        parameter_openapi_schema=info.parameter_schema, tags=info.tags,
        schedules=[o.DeploymentSchedule(id=UUID(s.id), deployment_id=UUID(info.id), schedule=s.schedule,
                                        active=s.active) for s in info.schedules],
        concurrency_limit=info.concurrency_limit, concurrency_options=info.concurrency_options,
        entrypoint=info.entrypoint, work_pool_name=info.work_pool_name, status=info.status, created=info.created,
        updated=info.updated, job_variables=info.job_variables, pull_steps=info.pull_steps)


def to_work_pool(info: WorkPoolInfo) -> o.WorkPool:
    """A work pool."""
    return o.WorkPool(id=UUID(info.id), name=info.name, type=info.type, description=info.description,
                      is_paused=info.paused, concurrency_limit=info.concurrency_limit, status=info.status,
                      created=info.created, base_job_template=info.base_job_template,
                      storage_configuration=o.WorkPoolStorageConfiguration.model_validate(
                          info.storage_configuration.model_dump()))


def to_worker(info: WorkerInfo) -> o.Worker:
    """A worker."""
    return o.Worker(id=_uuid(info.id), name=info.name, work_pool_name=info.work_pool_name,
                    last_heartbeat_time=info.last_heartbeat, status=info.status)


def to_global_limit(info: ConcurrencyLimitInfo) -> o.GlobalConcurrencyLimit:
    """A global limit."""
    return o.GlobalConcurrencyLimit(
        id=UUID(info.id), name=info.name, limit=info.limit, active=info.active,
        active_slots=info.leased_slots + int(info.decaying_slots), slot_decay_per_second=info.slot_decay_per_second,
        created=info.created, updated=info.updated)


def to_tag_limit(info: ConcurrencyLimitInfo) -> o.ConcurrencyLimit:
    """A tag limit (`name` is its tag)."""
    holders = [_uuid(str(h.holder.get("task_run_id") or h.lease_id)) for h in info.holders]
    return o.ConcurrencyLimit(id=UUID(info.id), tag=info.display_name, concurrency_limit=info.limit,
                              active_slots=[h for h in holders if h is not None], created=info.created)

def jsonable(value: Any) -> Any:
    """`value` as plain JSON data (what is not JSON becomes its string)."""
    import json

    return json.loads(json.dumps(value, default=str)) if value is not None else None


def idempotent_id(deployment_id: Any, key: str | None) -> str | None:
    """A run id derived from the idempotency key: a re-sent create returns the same run."""
    if key is None:
        return None
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"headwater:{deployment_id}:{key}"))


def deployment_matches(d: DeploymentInfo, flow_id: str | None, flow_filter: Any, deployment_filter: Any) -> bool:
    """Whether a deployment (of the flow `flow_id`) passes the client's flow and deployment filters.

    Raises:
        ValueError: a criterion headwater cannot evaluate (`operator=or_`, flow tags), named.
    """
    _check_operator(flow_filter, "flow_filter")
    _check_operator(deployment_filter, "deployment_filter")
    if flow_filter is not None:
        if flow_filter.tags is not None and (flow_filter.tags.all_ or flow_filter.tags.is_null_ is False):
            raise _refuse("flow_filter.tags (headwater's flows carry no tags)")
        if flow_filter.id is not None and flow_filter.id.any_ is not None \
                and flow_id not in {str(i) for i in flow_filter.id.any_}:
            return False
        if flow_filter.name is not None and not _name_matches(d.flow_name, flow_filter.name):
            return False
    spec = deployment_filter
    if spec is None:
        return True
    if spec.id is not None and spec.id.any_ is not None and d.id not in {str(i) for i in spec.id.any_}:
        return False
    if spec.name is not None and not _name_matches(d.name, spec.name):
        return False
    if spec.paused is not None and spec.paused.eq_ is not None and d.paused != spec.paused.eq_:
        return False
    if spec.work_queue_name is not None and spec.work_queue_name.any_ is not None:
        raise _refuse("deployment_filter.work_queue_name (headwater's work pools have no queues)")
    if spec.concurrency_limit is not None and not _limit_matches(d.concurrency_limit, spec.concurrency_limit):
        return False
    if spec.tags is not None:
        if spec.tags.all_ and not set(spec.tags.all_) <= set(d.tags):
            return False
        if spec.tags.is_null_ is not None and (not d.tags) != spec.tags.is_null_:
            return False
    return True


def _limit_matches(limit: int | None, criterion: Any) -> bool:
    if criterion.is_null_ is not None and (limit is None) != criterion.is_null_:
        return False
    if criterion.ge_ is not None and (limit is None or limit < criterion.ge_):
        return False
    return criterion.le_ is None or (limit is not None and limit <= criterion.le_)


def _name_matches(name: str, criterion: Any) -> bool:
    if criterion.any_ is not None and name not in criterion.any_:
        return False
    return criterion.like_ is None or criterion.like_.lower() in name.lower()


def worker_matches(w: o.Worker, spec: Any) -> bool:
    """Whether a worker passes a `WorkerFilter`.

    Raises:
        ValueError: `operator=or_`, which headwater cannot evaluate yet.
    """
    _check_operator(spec, "worker_filter")
    if spec.status is not None:
        if spec.status.any_ is not None and w.status not in spec.status.any_:
            return False
        if spec.status.not_any_ is not None and w.status in spec.status.not_any_:
            return False
    beat, window = w.last_heartbeat_time, spec.last_heartbeat_time
    if window is not None and (window.before_ is not None or window.after_ is not None):
        if beat is None:
            return False
        if window.before_ is not None and beat > window.before_:
            return False
        if window.after_ is not None and beat < window.after_:
            return False
    return True


def pool_matches(p: o.WorkPool, spec: Any) -> bool:
    """Whether a work pool passes a `WorkPoolFilter`.

    Raises:
        ValueError: `operator=or_`, which headwater cannot evaluate yet.
    """
    _check_operator(spec, "work_pool_filter")
    if spec.id is not None and spec.id.any_ is not None and p.id not in spec.id.any_:
        return False
    if spec.name is not None and spec.name.any_ is not None and p.name not in spec.name.any_:
        return False
    return not (spec.type is not None and spec.type.any_ is not None and p.type not in spec.type.any_)
