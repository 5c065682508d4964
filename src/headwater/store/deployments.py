"""Deployments, their schedules and projects.

`Deployments` is the store's repository of them (`store.deployments`). The claims and
heartbeats of workers are in `store/workers.py`; the scheduler's pass and backfills in
`store/scheduling.py`, whose `Scheduling` this repository is handed so that a deployment
created, changed or resumed gets its runs scheduled ahead at once. Every write is one
short transaction through the store's `Database` (store/database.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection

from headwater.core import clock
from headwater.core.ids import new_id
from headwater.core.deployment_schemas import (
    BackfillResult,
    DeploymentCreate,
    DeploymentInfo,
    DeploymentRunCreate,
    DeploymentUpdate,
    ProjectInfo,
    ScheduleInfo,
)
from headwater.core.schedules import ScheduleError, next_instants, schedule_from_dict
from headwater.exceptions import ObjectNotFound
from headwater.store.flow_runs import flow_run_by_id, insert_ignoring
from headwater.store.reads import as_utc
from headwater.store.scheduling import (
    AUTO_SCHEDULED_TAG,
    insert_scheduled_run,
    is_auto_scheduled,
    scheduled_run_id,
)
from headwater.store.tables import deployment_schedules, deployments, flow_runs, projects, states, work_pools
from headwater.store.workers import ObjectAlreadyExists, ensure_default_pool, pools_online, read_pool_row

if TYPE_CHECKING:
    from headwater.core.run_updates import ScheduleUpdate
    from headwater.core.schemas import FlowRunInfo
    from headwater.store.database import Database
    from headwater.store.scheduling import Scheduling

__all__ = ["AUTO_SCHEDULED_TAG", "Deployments", "ObjectAlreadyExists", "insert_scheduled_run", "scheduled_run_id"]

DEFAULT_PROJECT = "default"
_READY_AFTER_S = 60.0  # a deployment polled this recently is READY


def _ensure_project(conn: Connection, name: str, now: float, *, create: bool) -> str:
    row = conn.execute(select(projects.c.id).where(projects.c.name == name)).first()
    if row is not None:
        return str(row.id)
    if not create and name != DEFAULT_PROJECT:
        raise ObjectNotFound(f"no project named {name!r}: create it with `headwater project create {name}`")
    conn.execute(insert_ignoring(conn, projects).values(id=new_id(), name=name, description=None,
                                                         created=now, updated=now))
    return str(conn.execute(select(projects.c.id).where(projects.c.name == name)).scalar_one())


def _options(options: Any) -> dict[str, Any] | None:
    """A deployment's `ConcurrencyOptions` as the JSON column keeps them (None: ENQUEUE)."""
    return options.model_dump(mode="json") if options is not None else None


def _delete_future_auto_runs(conn: Connection, deployment_id: str, now: float) -> int:
    """Delete the not-yet-due, unclaimed runs the scheduler made (schedules changed or paused)."""
    rows = conn.execute(select(flow_runs.c.id, flow_runs.c.tags).where(
        flow_runs.c.deployment_id == deployment_id, flow_runs.c.state_type == "SCHEDULED",
        flow_runs.c.claimed_start.is_(None), flow_runs.c.expected_start_time > now,
    )).all()
    ids = [row.id for row in rows if is_auto_scheduled(row.tags)]
    if ids:
        conn.execute(delete(states).where(states.c.flow_run_id.in_(ids)))
        conn.execute(delete(flow_runs).where(flow_runs.c.id.in_(ids)))
    return len(ids)


def _deployment_info(row: Any, schedule_rows: list[Any], online_pools: set[str], now: float) -> DeploymentInfo:
    """A deployment as read: its row (joined with its project's and pool's names), its
    schedules' rows, and whether it is ready (its pool online, or polled recently)."""
    schedules = []
    for s in schedule_rows:
        try:
            schedule = schedule_from_dict(s.schedule)
            upcoming = [as_utc(t) for t in next_instants(schedule, now, 3)] if s.active else []
            text = schedule.describe()
        except ScheduleError as exc:
            upcoming, text = [], f"invalid: {exc}"
        schedules.append(ScheduleInfo(id=s.id, schedule=s.schedule, description=text, active=s.active,
                                      next_runs=upcoming))
    polled = row.last_polled is not None and row.last_polled >= now - _READY_AFTER_S
    ready = row.work_pool_id in online_pools if row.work_pool_id is not None else polled
    return DeploymentInfo(
        id=row.id, name=row.name, flow_name=row.flow_name, full_name=f"{row.flow_name}/{row.name}",
        project=row.project_name, work_pool_name=row.pool_name, entrypoint=row.entrypoint,
        parameters=row.parameters or {}, parameter_schema=row.parameter_schema, tags=row.tags or [],
        description=row.description, version=row.version, paused=row.paused,
        concurrency_limit=row.concurrency_limit, concurrency_options=row.concurrency_options,
        catchup=row.catchup, schedules=schedules,
        retries=row.retries or 0, retry_delay_seconds=row.retry_delay_seconds or [],
        static_graph=row.static_graph, job_variables=row.job_variables or {}, pull_steps=row.pull_steps,
        status="READY" if ready else "NOT_READY",
        last_polled=as_utc(row.last_polled) if row.last_polled is not None else None,
        created=as_utc(row.created), updated=as_utc(row.updated),
    )


class Deployments:
    """Deployments, schedules and projects over one `Database` (see the module docstring).

    Args:
        db: the database.
        scheduling: the scheduler's repository, to schedule runs ahead after a change.
    """

    def __init__(self, db: Database, scheduling: Scheduling) -> None:
        self._db = db
        self._scheduling = scheduling

    # -- projects --------------------------------------------------------------------

    def create_project(self, name: str, description: str | None = None) -> ProjectInfo:
        """Create a project.

        Raises:
            ObjectAlreadyExists: a project has this name.
        """

        def action(conn: Connection) -> None:
            if conn.execute(select(projects.c.id).where(projects.c.name == name)).first() is not None:
                raise ObjectAlreadyExists(f"a project named {name!r} exists already (see `headwater project ls`)")
            now = clock.now()
            conn.execute(insert(projects).values(id=new_id(), name=name, description=description,
                                                 created=now, updated=now))

        self._db.write(action)
        return self.read_project(name)

    def read_project(self, name: str) -> ProjectInfo:
        """Read a project by name.

        Raises:
            ObjectNotFound: no project has this name.
        """
        found = [p for p in self.list_projects() if p.name == name]
        if not found:
            raise ObjectNotFound(f"no project named {name!r}: create it with `headwater project create {name}`")
        return found[0]

    def list_projects(self) -> list[ProjectInfo]:
        """Every project, by name, with how many deployments it has."""
        counts = (select(deployments.c.project_id, func.count().label("n"))
                  .group_by(deployments.c.project_id).subquery())
        query = (select(projects, func.coalesce(counts.c.n, 0).label("n"))
                 .outerjoin(counts, counts.c.project_id == projects.c.id).order_by(projects.c.name))
        return self._db.read(lambda conn: [
            ProjectInfo(id=r.id, name=r.name, description=r.description, deployments=r.n, created=as_utc(r.created))
            for r in conn.execute(query)
        ])

    # -- deployments -----------------------------------------------------------------

    def upsert_deployment(self, body: DeploymentCreate, *, create_project: bool = False) -> DeploymentInfo:
        """Create the deployment `flow_name/name`, or update it in place (re-deploying).

        Changed schedules replace the old ones, and the runs the old ones had created
        ahead are deleted; then runs are scheduled ahead at once.

        Raises:
            ObjectNotFound: the project (unless `create_project`) or work pool does not
                exist; the message says how to create it.
        """
        schedules = [(spec.to_dict(), spec.active) for spec in body.schedules]

        def action(conn: Connection) -> str:
            now = clock.now()
            project_id = _ensure_project(conn, body.project, now, create=create_project or body.create_project)
            pool_id = None
            if body.work_pool_name is not None:
                pool_id = ensure_default_pool(conn, body.work_pool_name, now) or read_pool_row(
                    conn, body.work_pool_name).id
            values = dict(
                project_id=project_id, work_pool_id=pool_id, entrypoint=body.entrypoint,
                parameters=body.parameters, parameter_schema=body.parameter_schema, tags=body.tags,
                description=body.description, version=body.version, paused=body.paused,
                concurrency_limit=body.concurrency_limit, catchup=body.catchup, updated=now,
                concurrency_options=_options(body.concurrency_options),
                retries=body.retries, retry_delay_seconds=body.retry_delay_seconds,
                static_graph=body.static_graph.model_dump() if body.static_graph is not None else None,
                job_variables=body.job_variables or None, pull_steps=body.pull_steps,
            )
            existing = conn.execute(select(deployments).where(
                deployments.c.flow_name == body.flow_name, deployments.c.name == body.name)).first()
            if existing is None:
                deployment_id = new_id()
                conn.execute(insert(deployments).values(id=deployment_id, name=body.name, flow_name=body.flow_name,
                                                        last_polled=None, created=now, **values))
            else:
                deployment_id = existing.id
                conn.execute(update(deployments).where(deployments.c.id == deployment_id).values(**values))
                if existing.work_pool_id != pool_id:
                    conn.execute(update(flow_runs).where(
                        flow_runs.c.deployment_id == deployment_id, flow_runs.c.state_type == "SCHEDULED",
                    ).values(work_pool_id=pool_id))
            old = conn.execute(select(deployment_schedules).where(
                deployment_schedules.c.deployment_id == deployment_id).order_by(deployment_schedules.c.created,
                                                                                deployment_schedules.c.id)).all()
            if [(row.schedule, row.active) for row in old] != schedules:
                conn.execute(delete(deployment_schedules).where(
                    deployment_schedules.c.deployment_id == deployment_id))
                _delete_future_auto_runs(conn, deployment_id, now)
                for index, (schedule, active) in enumerate(schedules):
                    conn.execute(insert(deployment_schedules).values(
                        id=new_id(), deployment_id=deployment_id, schedule=schedule, active=active,
                        scheduled_through=None, created=now + index * 1e-6, updated=now))
            if body.paused:
                _delete_future_auto_runs(conn, deployment_id, now)
            return str(deployment_id)

        deployment_id = self._db.write(action)
        self._scheduling.schedule_runs(clock.now(), deployment_ids=[deployment_id])
        return self.read_deployment(deployment_id)

    def read_deployment(self, ref: str) -> DeploymentInfo:
        """Read a deployment by id or by `flow/deployment` name.

        Raises:
            ObjectNotFound: nothing matches (the message lists what exists).
        """
        found = self.list_deployments(ref=ref)
        if found:
            return found[0]
        known = ", ".join(d.full_name for d in self.list_deployments()[:10]) or "none yet; create one with " \
            "`headwater deploy FILE.py:FLOW --name NAME`"
        raise ObjectNotFound(f"no deployment {ref!r} (give 'flow-name/deployment-name' or an id; deployments: "
                             f"{known})")

    def list_deployments(self, *, ref: str | None = None, project: str | None = None,
                         work_pool_name: str | None = None, flow_name: str | None = None) -> list[DeploymentInfo]:
        """Deployments, by flow and name, optionally one (`ref`), one project's, one pool's or one flow's."""
        query = (select(deployments, projects.c.name.label("project_name"), work_pools.c.name.label("pool_name"))
                 .join(projects, projects.c.id == deployments.c.project_id)
                 .outerjoin(work_pools, work_pools.c.id == deployments.c.work_pool_id)
                 .order_by(deployments.c.flow_name, deployments.c.name))
        if ref is not None:
            flow, sep, name = ref.partition("/")
            query = query.where((deployments.c.flow_name == flow) & (deployments.c.name == name)) if sep \
                else query.where(deployments.c.id == ref)
        if project is not None:
            query = query.where(projects.c.name == project)
        if work_pool_name is not None:
            query = query.where(work_pools.c.name == work_pool_name)
        if flow_name is not None:
            query = query.where(deployments.c.flow_name == flow_name)
        now = clock.now()

        def read(conn: Connection) -> list[DeploymentInfo]:
            rows = conn.execute(query).all()
            if not rows:
                return []
            ids = [row.id for row in rows]
            by_deployment: dict[str, list[Any]] = {}
            for s in conn.execute(select(deployment_schedules).where(deployment_schedules.c.deployment_id.in_(ids))
                                  .order_by(deployment_schedules.c.created, deployment_schedules.c.id)):
                by_deployment.setdefault(s.deployment_id, []).append(s)
            online = pools_online(conn, now)
            return [_deployment_info(row, by_deployment.get(row.id, []), online, now) for row in rows]

        return self._db.read(read)

    def update_deployment(self, ref: str, body: DeploymentUpdate) -> DeploymentInfo:
        """Change some fields of a deployment; pausing deletes the runs scheduled ahead.

        Raises:
            ObjectNotFound: no such deployment.
        """
        deployment_id = self.read_deployment(ref).id
        values = {k: v for k, v in body.model_dump(exclude_unset=True).items()}
        if "concurrency_options" in values:
            values["concurrency_options"] = _options(body.concurrency_options)

        def action(conn: Connection) -> None:
            now = clock.now()
            conn.execute(update(deployments).where(deployments.c.id == deployment_id).values(updated=now, **values))
            if values.get("paused"):
                _delete_future_auto_runs(conn, deployment_id, now)

        self._db.write(action)
        if values.get("paused") is False:
            self._scheduling.schedule_runs(clock.now(), deployment_ids=[deployment_id])
        return self.read_deployment(deployment_id)

    def update_deployment_schedule(self, ref: str, schedule_id: str, body: ScheduleUpdate) -> DeploymentInfo:
        """Switch one schedule of a deployment on or off, or replace what it says; the runs
        it had created ahead are deleted and runs are scheduled ahead again.

        Raises:
            ObjectNotFound: no such deployment, or it has no schedule with this id.
        """
        deployment_id = self.read_deployment(ref).id
        values: dict[str, Any] = {}
        if body.active is not None:
            values["active"] = body.active
        if body.schedule is not None:
            values["schedule"] = body.schedule.to_dict()

        def action(conn: Connection) -> None:
            now = clock.now()
            done = conn.execute(update(deployment_schedules).where(
                deployment_schedules.c.id == schedule_id, deployment_schedules.c.deployment_id == deployment_id,
            ).values(updated=now, scheduled_through=None, **values)).rowcount
            if not done:
                raise ObjectNotFound(f"deployment {ref!r} has no schedule with id {schedule_id!r}")
            _delete_future_auto_runs(conn, deployment_id, now)
            conn.execute(update(deployment_schedules).where(deployment_schedules.c.deployment_id == deployment_id)
                         .values(scheduled_through=None))

        self._db.write(action)
        self._scheduling.schedule_runs(clock.now(), deployment_ids=[deployment_id])
        return self.read_deployment(deployment_id)

    def delete_deployment(self, ref: str) -> None:
        """Delete a deployment, its schedules and its runs not started yet (history stays).

        Raises:
            ObjectNotFound: no such deployment.
        """
        deployment_id = self.read_deployment(ref).id

        def action(conn: Connection) -> None:
            waiting = select(flow_runs.c.id).where(flow_runs.c.deployment_id == deployment_id,
                                                   flow_runs.c.state_type == "SCHEDULED")
            ids = list(conn.execute(waiting).scalars())
            if ids:
                conn.execute(delete(states).where(states.c.flow_run_id.in_(ids)))
                conn.execute(delete(flow_runs).where(flow_runs.c.id.in_(ids)))
            conn.execute(delete(deployment_schedules).where(deployment_schedules.c.deployment_id == deployment_id))
            conn.execute(delete(deployments).where(deployments.c.id == deployment_id))

        self._db.write(action)

    def create_deployment_run(self, ref: str, body: DeploymentRunCreate) -> FlowRunInfo:
        """Create a flow run of a deployment, due at `body.scheduled_time` (default now).

        Raises:
            ObjectNotFound: no such deployment.
            ParameterValidationError: the parameters fail the deployment's schema
                (nothing is created).
        """
        from headwater.core.parameter_schemas import check_parameters

        info = self.read_deployment(ref)
        parameters = {**info.parameters, **body.parameters}
        check_parameters(info.parameter_schema, parameters)
        run_id = body.id or new_id()
        due = body.scheduled_time.timestamp() if body.scheduled_time is not None else None
        tags = sorted(set(info.tags) | set(body.tags))

        def action(conn: Connection) -> FlowRunInfo:
            now = clock.now()
            row = conn.execute(select(deployments).where(deployments.c.id == info.id)).one()
            # A run with a client-chosen id that exists already is a re-send: nothing to insert.
            insert_scheduled_run(conn, row, run_id=run_id, due=due if due is not None else now, now=now,
                                 parameters=parameters, tags=tags, name=body.name,
                                 parent_task_run_id=body.parent_task_run_id,
                                 job_variables=body.job_variables or None)
            return flow_run_by_id(conn, run_id)

        return self._db.write(action)

    def deployment_of_flow_run(self, flow_run_id: str) -> DeploymentInfo | None:
        """The deployment a flow run was created from, or None (a run of `python flow.py`).

        Raises:
            ObjectNotFound: no flow run has this id.
        """
        row = self._db.read(lambda conn: conn.execute(
            select(flow_runs.c.deployment_id).where(flow_runs.c.id == flow_run_id)).first())
        if row is None:
            raise ObjectNotFound(f"no flow run with id '{flow_run_id}'.")
        if row.deployment_id is None:
            return None
        found = self.list_deployments(ref=row.deployment_id)
        return found[0] if found else None

    def backfill_deployment(self, ref: str, start: float, end: float, *, limit: int = 1000) -> BackfillResult:
        """Create the runs the deployment's active schedules had due in [start, end]
        (see `Scheduling.backfill`).

        Raises:
            ObjectNotFound: no such deployment.
        """
        return self._scheduling.backfill(self.read_deployment(ref), start, end, limit=limit)
