"""Automations in the store (`store.automations`): their documents, the actions they
took, and the trigger service's read position.

An automation is one row: its JSON document (trigger and actions, Prefect's shape)
and the columns its filters use. An action taken is claimed first with one
insert-or-skip on the unique key (automation, firing, action position): whoever
inserts the row carries the action out; a restarted server, or a second server on
the same database, finds the row there and skips it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, or_, select, true, update
from sqlalchemy.engine import Connection, Row

from headwater.core import clock
from headwater.core.ids import new_id
from headwater.exceptions import ObjectNotFound
from headwater.store.flow_runs import insert_ignoring
from headwater.store.reads import as_utc
from headwater.store.tables import automation_actions, automation_cursor, automations

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement

    from headwater.core.automation_schemas import AutomationFilter, AutomationInfo, AutomationSort, FiredAction
    from headwater.store.database import Database

__all__ = ["Automations"]


def _info(row: Row[Any]) -> AutomationInfo:
    from headwater.core.automation_schemas import AutomationInfo

    document = json.loads(row.document)
    return AutomationInfo.model_validate({**document, "id": row.id, "enabled": row.enabled,
                                          "created": as_utc(row.created), "updated": as_utc(row.updated)})


def _not_found(automation_id: str) -> ObjectNotFound:
    return ObjectNotFound(f"no automation with id {automation_id!r} (list them with `headwater automation ls`)")


def _clauses(spec: AutomationFilter | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if spec is None:
        return clauses
    if spec.id is not None and spec.id.any_ is not None:
        clauses.append(automations.c.id.in_([str(i) for i in spec.id.any_]))
    if spec.name is not None and spec.name.any_ is not None:
        clauses.append(automations.c.name.in_(spec.name.any_))
    if spec.created is not None and spec.created.before_ is not None:
        clauses.append(automations.c.created < spec.created.before_.timestamp())
    return clauses


def _tags_match(spec: AutomationFilter | None, tags: list[str]) -> bool:
    """Tag criteria, checked in Python: tags are a JSON list on both databases."""
    if spec is None or spec.tags is None:
        return True
    wanted = spec.tags
    if wanted.is_null_ is not None and wanted.is_null_ != (not tags):
        return False
    if wanted.all_ and not set(wanted.all_) <= set(tags):
        return False
    return not (wanted.any_ and not set(wanted.any_) & set(tags))


class Automations:
    """Automations, the actions they took, and the trigger service's cursor."""

    def __init__(self, db: Database) -> None:
        self._db = db

    # -- automations -----------------------------------------------------------------
    def create(self, document: dict[str, Any]) -> AutomationInfo:
        """Store a new automation from its document (`dump_automation`)."""
        now = clock.now()
        values = {"id": new_id(), "name": document["name"], "enabled": bool(document.get("enabled", True)),
                  "tags": list(document.get("tags") or []), "owner_resource": document.get("owner_resource"),
                  "document": json.dumps(document), "created": now, "updated": now}

        def action(conn: Connection) -> AutomationInfo:
            conn.execute(automations.insert().values(**values))
            return _info(conn.execute(select(automations).where(automations.c.id == values["id"])).one())

        return self._db.write(action)

    def read(self, automation_id: str) -> AutomationInfo:
        """One automation by id. Raises `ObjectNotFound`."""
        row = self._db.read(lambda conn: conn.execute(
            select(automations).where(automations.c.id == automation_id)).one_or_none())
        if row is None:
            raise _not_found(automation_id)
        return _info(row)

    def filter(self, spec: AutomationFilter | None, *, sort: AutomationSort | None = None, limit: int | None = None,
               offset: int = 0) -> list[AutomationInfo]:
        """The automations matching `spec`, in `sort` order (name by default)."""
        order = {
            "CREATED_DESC": (automations.c.created.desc(), automations.c.id.desc()),
            "UPDATED_DESC": (automations.c.updated.desc(), automations.c.id.desc()),
            "NAME_DESC": (automations.c.name.desc(), automations.c.id.desc()),
        }.get(sort.value if sort is not None else "NAME_ASC", (automations.c.name.asc(), automations.c.id.asc()))
        query = select(automations).where(and_(true(), *_clauses(spec))).order_by(*order)
        rows = self._db.read(lambda conn: conn.execute(query).all())
        found = [_info(row) for row in rows if _tags_match(spec, list(row.tags or []))]
        return found[offset:] if limit is None else found[offset:offset + limit]

    def count(self, spec: AutomationFilter | None) -> int:
        """How many automations match `spec`."""
        return len(self.filter(spec))

    def replace(self, automation_id: str, document: dict[str, Any]) -> AutomationInfo:
        """Replace an automation's document. Raises `ObjectNotFound`."""

        def action(conn: Connection) -> AutomationInfo:
            done = conn.execute(update(automations).where(automations.c.id == automation_id).values(
                name=document["name"], enabled=bool(document.get("enabled", True)),
                tags=list(document.get("tags") or []), owner_resource=document.get("owner_resource"),
                document=json.dumps(document), updated=clock.now()))
            if not done.rowcount:
                raise _not_found(automation_id)
            return _info(conn.execute(select(automations).where(automations.c.id == automation_id)).one())

        return self._db.write(action)

    def set_enabled(self, automation_id: str, enabled: bool) -> AutomationInfo:
        """Pause (False) or resume (True) an automation. Raises `ObjectNotFound`."""
        info = self.read(automation_id)
        document = info.model_dump(mode="json", exclude={"id", "created", "updated"})
        document["enabled"] = enabled
        return self.replace(automation_id, document)

    def delete(self, automation_id: str) -> None:
        """Delete an automation and the record of its actions. Raises `ObjectNotFound`."""

        def action(conn: Connection) -> None:
            if not conn.execute(delete(automations).where(automations.c.id == automation_id)).rowcount:
                raise _not_found(automation_id)
            conn.execute(delete(automation_actions).where(automation_actions.c.automation_id == automation_id))

        self._db.write(action)

    def delete_owned_by(self, resource_id: str) -> int:
        """Delete the automations a resource owns (a deployment's triggers); how many."""
        ids = self._db.read(lambda conn: list(conn.execute(
            select(automations.c.id).where(automations.c.owner_resource == resource_id)).scalars()))

        def action(conn: Connection) -> int:
            if ids:
                conn.execute(delete(automations).where(automations.c.id.in_(ids)))
                conn.execute(delete(automation_actions).where(automation_actions.c.automation_id.in_(ids)))
            return len(ids)

        return self._db.write(action)

    def related_to(self, resource_id: str) -> list[AutomationInfo]:
        """The automations whose document names `resource_id` (or that it owns)."""
        text = json.dumps(resource_id)
        query = select(automations).where(or_(automations.c.owner_resource == resource_id,
                                              automations.c.document.contains(text, autoescape=True)))
        return [_info(row) for row in self._db.read(lambda conn: conn.execute(query).all())]

    def version(self) -> tuple[int, float]:
        """(how many, last change): changes when an automation is created, changed or deleted."""
        row = self._db.read(lambda conn: conn.execute(
            select(func.count(), func.max(automations.c.updated))).one())
        return int(row[0]), float(row[1] or 0.0)

    # -- actions taken ---------------------------------------------------------------
    def claim_action(self, automation_id: str, firing_key: str, action_index: int, action_type: str) -> str | None:
        """Record that this action is being taken for this firing: its row id, or None
        when it was already claimed (here before a restart, or by another server)."""
        row_id = new_id()
        now = clock.now()

        def action(conn: Connection) -> bool:
            conn.execute(insert_ignoring(conn, automation_actions).values(
                id=row_id, automation_id=automation_id, firing_key=firing_key[:255], action_index=action_index,
                action_type=action_type, status="running", attempts=0, detail=None, created=now, updated=now))
            # Whose row is there decides (rowcount is not reliable for a skipped insert on every driver).
            holder = conn.execute(select(automation_actions.c.id).where(
                automation_actions.c.automation_id == automation_id,
                automation_actions.c.firing_key == firing_key[:255],
                automation_actions.c.action_index == action_index)).scalar_one()
            return bool(holder == row_id)

        return row_id if self._db.write(action) else None

    def update_action(self, row_id: str, status: str, attempts: int, detail: str | None = None) -> None:
        """Record how an action went (running, retrying, succeeded or failed)."""
        self._db.write(lambda conn: conn.execute(update(automation_actions).where(
            automation_actions.c.id == row_id).values(status=status, attempts=attempts,
                                                       detail=None if detail is None else detail[:4000],
                                                       updated=clock.now())))

    def list_actions(self, automation_id: str | None = None, *, limit: int = 50) -> list[FiredAction]:
        """The latest actions taken (by one automation, or all), newest first."""
        from headwater.core.automation_schemas import FiredAction

        query = select(automation_actions).order_by(automation_actions.c.created.desc()).limit(limit)
        if automation_id is not None:
            query = query.where(automation_actions.c.automation_id == automation_id)
        rows = self._db.read(lambda conn: conn.execute(query).all())
        return [FiredAction(id=r.id, automation_id=r.automation_id, event_id=r.firing_key,
                            action_index=r.action_index, action_type=r.action_type, status=r.status,
                            attempts=r.attempts, detail=r.detail, created=as_utc(r.created),
                            updated=as_utc(r.updated)) for r in rows]

    def prune_actions(self, cutoff: float, *, batch_size: int = 5000) -> int:
        """Forget up to `batch_size` actions taken before `cutoff`; how many."""

        def action(conn: Connection) -> int:
            ids = list(conn.execute(select(automation_actions.c.id).where(automation_actions.c.created < cutoff)
                                    .limit(batch_size)).scalars())
            if ids:
                conn.execute(delete(automation_actions).where(automation_actions.c.id.in_(ids)))
            return len(ids)

        return self._db.write(action)

    # -- the trigger service's cursor -------------------------------------------------
    def read_cursor(self, name: str) -> tuple[float, int] | None:
        """(received time, state row id) the service `name` had read up to, or None."""
        row = self._db.read(lambda conn: conn.execute(
            select(automation_cursor.c.received, automation_cursor.c.state_id)
            .where(automation_cursor.c.name == name)).one_or_none())
        return None if row is None else (float(row[0]), int(row[1]))

    def save_cursor(self, name: str, received: float, state_id: int) -> None:
        """Keep how far the service `name` has read (never moving it back)."""

        def action(conn: Connection) -> None:
            conn.execute(insert_ignoring(conn, automation_cursor).values(name=name, received=received,
                                                                         state_id=state_id))
            conn.execute(update(automation_cursor).where(automation_cursor.c.name == name).values(
                received=func.max(automation_cursor.c.received, received) if conn.dialect.name == "sqlite"
                else func.greatest(automation_cursor.c.received, received),
                state_id=func.max(automation_cursor.c.state_id, state_id) if conn.dialect.name == "sqlite"
                else func.greatest(automation_cursor.c.state_id, state_id)))

        self._db.write(action)
