"""Write the audit log: who changed what, and when."""
from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from banenpool.models import AuditLog
from banenpool.principal import Principal


def jsonable(value):
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def changes_of(obj) -> dict:
    """Column changes SQLAlchemy tracks on `obj` since it was loaded: {name: [old, new]}."""
    state = inspect(obj)
    out = {}
    for column in state.mapper.column_attrs:
        hist = state.attrs[column.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            out[column.key] = [jsonable(old), jsonable(state.attrs[column.key].value)]
    return out


def record(session: Session, who: Principal, action: str, entity: str, entity_id: int | None,
           changes: dict | None = None) -> None:
    session.add(AuditLog(user_id=who.user_id, action=action, entity=entity, entity_id=entity_id,
                         changes=jsonable(changes or {})))
