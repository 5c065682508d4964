"""Variables: named JSON values (`store.variables`).

One row per variable; names are unique. Every write is one short transaction through
the store's `Database` (store/database.py). The rules a name and a value follow are
checked before a call reaches here (`core/variable_schemas.py`, `operations/variables.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from headwater.core import clock
from headwater.core.variable_schemas import VariableInfo
from headwater.exceptions import ObjectAlreadyExists, ObjectNotFound
from headwater.core.ids import new_id
from headwater.store.reads import as_utc
from headwater.store.tables import variables

if TYPE_CHECKING:
    from sqlalchemy.sql import ColumnElement

    from headwater.core.variable_schemas import VariableFilterSpec, VariableSort
    from headwater.store.database import Database

__all__ = ["Variables"]

_ORDER = {
    "NAME_ASC": (variables.c.name.asc(),),
    "NAME_DESC": (variables.c.name.desc(),),
    "CREATED_DESC": (variables.c.created.desc(), variables.c.name.asc()),
    "UPDATED_DESC": (variables.c.updated.desc(), variables.c.name.asc()),
}


def _info(row: Row[Any]) -> VariableInfo:
    return VariableInfo(id=row.id, name=row.name, value=row.value, tags=list(row.tags or []),
                        created=as_utc(row.created), updated=as_utc(row.updated))


def _not_found(name: str) -> ObjectNotFound:
    return ObjectNotFound(f"no variable named {name!r} (list them with `headwater variable ls`)")


def _clauses(spec: VariableFilterSpec | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if spec is None:
        return clauses
    if spec.id is not None and spec.id.any_ is not None:
        clauses.append(variables.c.id.in_([str(i) for i in spec.id.any_]))
    if spec.name is not None:
        if spec.name.any_ is not None:
            clauses.append(variables.c.name.in_(spec.name.any_))
        if spec.name.like_:
            clauses.append(func.lower(variables.c.name).contains(spec.name.like_.lower(), autoescape=True))
    return clauses


def _tags_match(spec: VariableFilterSpec | None, tags: list[str]) -> bool:
    # Tags are a JSON list; matched here rather than in SQL, the same on both databases.
    if spec is None or spec.tags is None:
        return True
    if spec.tags.all_ and not set(spec.tags.all_) <= set(tags):
        return False
    if spec.tags.is_null_ is not None and spec.tags.is_null_ != (not tags):
        return False
    return True


class Variables:
    """The variables repository (see the module docstring)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create_variable(self, name: str, value: Any, tags: list[str]) -> VariableInfo:
        """Create a variable.

        Raises:
            ObjectAlreadyExists: a variable has this name.
        """
        row_id = new_id()

        def action(conn: Connection) -> None:
            if conn.execute(select(variables.c.id).where(variables.c.name == name)).first() is not None:
                raise _exists(name)
            now = clock.now()
            try:
                conn.execute(insert(variables).values(id=row_id, name=name, value=value, tags=list(tags),
                                                      created=now, updated=now))
            except IntegrityError:  # created by another writer since the check (PostgreSQL)
                raise _exists(name) from None

        self._db.write(action)
        return self.read_variable(name)

    def read_variable(self, name: str) -> VariableInfo:
        """A variable by name.

        Raises:
            ObjectNotFound: no variable has this name.
        """
        row = self._db.read(lambda conn: conn.execute(select(variables).where(variables.c.name == name)).first())
        if row is None:
            raise _not_found(name)
        return _info(row)

    def read_variable_by_id(self, variable_id: str) -> VariableInfo:
        """A variable by id.

        Raises:
            ObjectNotFound: no variable has this id.
        """
        row = self._db.read(lambda conn: conn.execute(
            select(variables).where(variables.c.id == variable_id)).first())
        if row is None:
            raise ObjectNotFound(f"no variable with id {variable_id!r} (list them with `headwater variable ls`)")
        return _info(row)

    def read_values(self, names: set[str]) -> dict[str, Any]:
        """The values of those of `names` that exist, by name (one query)."""
        if not names:
            return {}
        query = select(variables.c.name, variables.c.value).where(variables.c.name.in_(sorted(names)))
        return self._db.read(lambda conn: {r.name: r.value for r in conn.execute(query)})

    def filter_variables(self, spec: VariableFilterSpec | None, *, sort: VariableSort = "NAME_ASC",
                         limit: int | None = None, offset: int = 0) -> list[VariableInfo]:
        """One page of the variables matching `spec`, in `sort` order."""
        query = select(variables).where(*_clauses(spec)).order_by(*_ORDER[sort])
        by_tags = spec is not None and spec.tags is not None
        if not by_tags:
            query = query.offset(offset)
            if limit is not None:
                query = query.limit(limit)
        rows = self._db.read(lambda conn: conn.execute(query).all())
        found = [_info(r) for r in rows]
        if by_tags:
            found = [v for v in found if _tags_match(spec, v.tags)]
            found = found[offset:offset + limit] if limit is not None else found[offset:]
        return found

    def count_variables(self, spec: VariableFilterSpec | None) -> int:
        """How many variables match `spec`."""
        if spec is not None and spec.tags is not None:
            return len(self.filter_variables(spec))
        query = select(func.count()).select_from(variables).where(*_clauses(spec))
        return int(self._db.read(lambda conn: conn.execute(query).scalar_one()))

    def update_variable(self, name: str, changes: dict[str, Any]) -> VariableInfo:
        """Change a variable's `name`, `value` and/or `tags` (the keys of `changes`).

        Raises:
            ObjectNotFound: no variable has this name.
            ObjectAlreadyExists: renamed to a name another variable has.
        """
        values = {k: v for k, v in changes.items() if k in ("name", "value", "tags")}
        new_name = values.get("name", name)

        def action(conn: Connection) -> None:
            if new_name != name and conn.execute(
                    select(variables.c.id).where(variables.c.name == new_name)).first() is not None:
                raise _exists(new_name)
            try:
                done = conn.execute(update(variables).where(variables.c.name == name)
                                    .values(**values, updated=clock.now())).rowcount
            except IntegrityError:
                raise _exists(new_name) from None
            if not done:
                raise _not_found(name)

        self._db.write(action)
        return self.read_variable(new_name)

    def delete_variable(self, name: str) -> None:
        """Delete a variable.

        Raises:
            ObjectNotFound: no variable has this name.
        """

        def action(conn: Connection) -> None:
            if not conn.execute(delete(variables).where(variables.c.name == name)).rowcount:
                raise _not_found(name)

        self._db.write(action)


def _exists(name: str) -> ObjectAlreadyExists:
    return ObjectAlreadyExists(f"a variable named {name!r} exists already; update it instead "
                               "(Variable.set(..., overwrite=True), `headwater variable set --overwrite`)")
