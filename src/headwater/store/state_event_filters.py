"""Event filters as SQL over `states`, for the events of state changes (`store/state_events.py`).

An event filter becomes a condition over `states` joined with the runs, the deployment
and the work pool (`derived_where`, `derived_from`). Conditions simplify as they are
built: a part known to be true or false for one kind of run (flow runs, task runs) is
folded away, so a filter no state event can match costs no query.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Union

from sqlalchemy import Text, and_, cast, false, func, not_, or_, true
from sqlalchemy.sql.elements import ColumnElement

from headwater.store.state_event_ids import FLOW_RUN_PREFIX, TASK_RUN_PREFIX, state_id_of_event
from headwater.store.tables import deployments, flow_runs, states, task_runs, work_pools

if TYPE_CHECKING:
    from headwater.core.event_schemas import EventFilter

__all__ = ["JOINED_TABLES", "ROW_COLUMNS", "derived_from", "derived_where"]

_tr = task_runs.alias("ev_task_runs")
_fr = flow_runs.alias("ev_flow_runs")
_dep = deployments.alias("ev_deployments")
_pool = work_pools.alias("ev_work_pools")

# A condition that may be known already: True, False, or SQL.
Cond = Union[bool, ColumnElement[bool]]


# -- conditions that simplify as they are built ----------------------------------------
def _and(*parts: Cond) -> Cond:
    sql = []
    for part in parts:
        if part is False:
            return False
        if part is not True:
            sql.append(part)
    return True if not sql else sql[0] if len(sql) == 1 else and_(*sql)


def _or(*parts: Cond) -> Cond:
    sql = []
    for part in parts:
        if part is True:
            return True
        if part is not False:
            sql.append(part)
    return False if not sql else sql[0] if len(sql) == 1 else or_(*sql)


def _not(part: Cond) -> Cond:
    return (not part) if isinstance(part, bool) else not_(part)


def _sql(part: Cond) -> ColumnElement[bool]:
    return true() if part is True else false() if part is False else part


class _Kind:
    """What the events of one kind of run are, as columns: their name's prefix, the
    run's id, and their related resources as (id prefix, role, column) triples."""

    def __init__(self, prefix: str, run_id: Any, related: list[tuple[str, str, Any]], names: list[Any]) -> None:
        self.prefix = prefix
        self.run_id = run_id
        self.related = related
        self.names = names  # the run's name and its related resources' names, for text search

    def searchable(self) -> Any:
        """What a text search finds the event by (`store.events.derived_text`)."""
        from headwater.store.events import derived_text

        return derived_text(self.prefix, self.run_id, self.related, self.names)

    # names ----------------------------------------------------------------------
    def name_prefix(self, prefix: str) -> Cond:
        if prefix.startswith(self.prefix):
            rest = prefix[len(self.prefix):]
            return states.c.name.startswith(rest, autoescape=True) if rest else True
        return self.prefix.startswith(prefix)

    def name_is(self, name: str) -> Cond:
        return states.c.name == name[len(self.prefix):] if name.startswith(self.prefix) else False

    # the resource ---------------------------------------------------------------
    def resource_is(self, resource_id: str) -> Cond:
        return self.run_id == resource_id[len(self.prefix):] if resource_id.startswith(self.prefix) else False

    def resource_prefix(self, prefix: str) -> Cond:
        return _id_prefix(self.prefix, prefix, self.run_id, is_tags=False)

    # related resources ----------------------------------------------------------
    def related_is(self, resource_id: str | None, role: str | None) -> Cond:
        found: list[Cond] = []
        for id_prefix, their_role, column in self.related:
            if role is not None and role != their_role:
                continue
            is_tags = their_role == "tag"
            if resource_id is None:
                found.append(_tags_nonempty(column) if is_tags else column.is_not(None))
            elif resource_id.startswith(id_prefix):
                rest = resource_id[len(id_prefix):]
                found.append(_tags_contain(column, rest) if is_tags else column == rest)
        return _or(*found)

    def related_prefix(self, prefix: str) -> Cond:
        return _or(*(_id_prefix(id_prefix, prefix, column, is_tags=role == "tag")
                     for id_prefix, role, column in self.related))


def _id_prefix(kind_prefix: str, prefix: str, column: Any, *, is_tags: bool) -> Cond:
    """Resource ids `kind_prefix + column` starting with `prefix`."""
    if prefix.startswith(kind_prefix):
        rest = prefix[len(kind_prefix):]
        if is_tags:
            return cast(column, Text).contains('"' + json.dumps(rest)[1:-1], autoescape=True)
        found: Cond = column.startswith(rest, autoescape=True) if rest else column.is_not(None)
        return found
    if kind_prefix.startswith(prefix):
        return _tags_nonempty(column) if is_tags else column.is_not(None)
    return False


def _tags_contain(column: Any, tag: str) -> ColumnElement[bool]:
    return cast(column, Text).contains(json.dumps(tag), autoescape=True)


def _tags_nonempty(column: Any) -> ColumnElement[bool]:
    return cast(column, Text).contains('"')


_FLOW_KIND = _Kind(FLOW_RUN_PREFIX, states.c.flow_run_id, [
    ("prefect.flow.", "flow", _fr.c.flow_id),
    ("prefect.deployment.", "deployment", _fr.c.deployment_id),
    ("prefect.work-pool.", "work-pool", _fr.c.work_pool_id),
    ("prefect.task-run.", "task-run", _fr.c.parent_task_run_id),
    ("prefect.tag.", "tag", _fr.c.tags),
], [_fr.c.name, _fr.c.flow_name, _dep.c.name, _pool.c.name, _pool.c.type])
_TASK_KIND = _Kind(TASK_RUN_PREFIX, states.c.task_run_id, [
    ("prefect.tag.", "tag", _tr.c.tags),
    ("prefect.flow-run.", "flow-run", _tr.c.flow_run_id),
    ("prefect.flow.", "flow", _fr.c.flow_id),
    ("prefect.deployment.", "deployment", _fr.c.deployment_id),
    ("prefect.work-pool.", "work-pool", _fr.c.work_pool_id),
], [_tr.c.name, _fr.c.name, _fr.c.flow_name, _dep.c.name, _pool.c.name, _pool.c.type])


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


def _kind_where(kind: _Kind, spec: EventFilter) -> Cond:
    parts: list[Cond] = []
    name = spec.event
    if name is not None:
        if name.prefix:  # empty: no condition, as Prefect reads it
            parts.append(_or(*(kind.name_prefix(p) for p in name.prefix)))
        if name.exclude_prefix:
            parts.append(_not(_or(*(kind.name_prefix(p) for p in name.exclude_prefix))))
        if name.name is not None:
            parts.append(_or(*(kind.name_is(n) for n in name.name)))
        if name.exclude_name:
            parts.append(_not(_or(*(kind.name_is(n) for n in name.exclude_name))))
    if spec.resource is not None:
        parts.append(_resource(kind, spec.resource, any_resource=False))
    for related in _listed(spec.related):
        parts.append(_related(kind, related))
    for any_spec in _listed(spec.any_resource):
        parts.append(_resource(kind, any_spec, any_resource=True))
    if spec.text is not None:
        from headwater.store.events import text_where

        searched = text_where(spec.text.query, kind.searchable())
        if searched is not None:
            parts.append(searched)
    return _and(*parts)


def _resource(kind: _Kind, spec: Any, *, any_resource: bool) -> Cond:
    parts: list[Cond] = []
    if spec.id:
        parts.append(_or(*(kind.resource_is(i) for i in spec.id),
                         *((kind.related_is(i, None) for i in spec.id) if any_resource else ())))
    if spec.id_prefix:
        parts.append(_or(*(kind.resource_prefix(p) for p in spec.id_prefix),
                         *((kind.related_prefix(p) for p in spec.id_prefix) if any_resource else ())))
    return _and(*parts)


def _related(kind: _Kind, spec: Any) -> Cond:
    parts: list[Cond] = []
    ids, roles = spec.id, spec.role
    if ids and roles:
        parts.append(_or(*(kind.related_is(i, r) for i in ids for r in roles)))
    elif ids:
        parts.append(_or(*(kind.related_is(i, None) for i in ids)))
    elif roles:
        parts.append(_or(*(kind.related_is(None, r) for r in roles)))
    if spec.resources_in_roles:
        parts.append(_or(*(kind.related_is(i, r) for i, r in spec.resources_in_roles)))
    return _and(*parts)


def derived_where(spec: EventFilter, *, occurred: bool = True) -> ColumnElement[bool] | None:
    """The SQL condition on `states` (joined as `derived_from()`) of the state events
    matching `spec`, or None when no state event can match it."""
    from headwater.store.events import timestamp_of

    flow_where, task_where = _kind_where(_FLOW_KIND, spec), _kind_where(_TASK_KIND, spec)
    if flow_where is True and task_where is True:  # every state row names a flow run or a task run
        parts: list[Cond] = []
    else:
        parts = [_or(_and(states.c.flow_run_id.is_not(None), flow_where),
                     _and(states.c.task_run_id.is_not(None), task_where))]
    if occurred:
        parts += [states.c.timestamp >= timestamp_of(spec.occurred.since),
                  states.c.timestamp <= timestamp_of(spec.occurred.until)]
    if spec.id.id is not None:
        state_ids = [s for s in (state_id_of_event(str(i)) for i in spec.id.id) if s is not None]
        parts.append(states.c.id.in_(state_ids) if state_ids else False)
    where = _and(*parts)
    return None if where is False else _sql(where)


def derived_from() -> Any:
    """`states` joined with what its events name: the task run, the flow run (the
    state's own or the task run's), the deployment and the work pool."""
    return (states.outerjoin(_tr, _tr.c.id == states.c.task_run_id)
            .outerjoin(_fr, _fr.c.id == func.coalesce(states.c.flow_run_id, _tr.c.flow_run_id))
            .outerjoin(_dep, _dep.c.id == _fr.c.deployment_id)
            .outerjoin(_pool, _pool.c.id == _fr.c.work_pool_id))


# The columns of a derived row, in the order `state_events._event` unpacks them.
ROW_COLUMNS = (states.c.id, states.c.flow_run_id, states.c.task_run_id, states.c.type, states.c.name,
               states.c.message, states.c.timestamp, _tr.c.name, _tr.c.tags, _tr.c.flow_run_id, _fr.c.name,
               _fr.c.flow_id, _fr.c.flow_name, _fr.c.tags, _fr.c.deployment_id, _dep.c.name, _fr.c.work_pool_id,
               _pool.c.name, _pool.c.type, _fr.c.parent_task_run_id)

# What `derived_from()` joins to `states`: a query naming none of them reads `states` alone.
JOINED_TABLES = frozenset({_tr, _fr, _dep, _pool})
