"""An employer's CAO through time: it changes on a date (an Amsterdam day), and hours are priced and
checked under the CAO of the day their shift starts (`Employer.cao_on`).

A change from day D:
- may not reach back over hours on a final invoice: D on or before the last work date of a final
  invoice to the employer → 409 `cao_change_invoiced` (that invoice priced them under the old CAO;
  credit it first, then the hours can be billed anew);
- may not come before the employer's latest change → 409 `cao_change_before_latest` (history is
  written in order; to undo a change, send the old CAO with that change's date);
- on the date of the latest change, corrects that change (and removes it when it then names the CAO
  that held before it);
- that names the CAO already in force on D changes nothing (so a form that sends the employer's
  CAO unchanged writes nothing).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from banenpool.calendar_nl import today_local
from banenpool.errors import Conflict
from banenpool.models import Employer, EmployerCao, Invoice, InvoiceLine
from banenpool.principal import Principal
from banenpool.services import audit
from banenpool.services.caos import catalogue, require_cao


def last_invoiced_day(session: Session, employer_id: int) -> date | None:
    """The last work date on a final invoice to the employer (credited invoices no longer bill theirs)."""
    return session.scalar(select(func.max(InvoiceLine.work_date)).join(Invoice)
                          .where(Invoice.employer_id == employer_id, Invoice.kind == "invoice",
                                 Invoice.status == "final"))


def change_cao(session: Session, who: Principal, employer: Employer, code: str, valid_from: date | None) -> bool:
    """The employer works under CAO `code` from `valid_from` (default: today in Amsterdam) on, until
    a later change; see the module docstring for what is refused. True when the history changed."""
    who.require("intermediary")
    day = valid_from or today_local()
    require_cao(code, "cao_code" if valid_from is None or code not in catalogue().codes() else "cao_valid_from", on=day)
    # Finalising an invoice locks the employer row too: a change and a finalisation take turns, and
    # the history is read again under the lock (another change may have come in since it was loaded).
    session.get(Employer, employer.id, with_for_update=True)
    session.refresh(employer, ["caos"])
    if employer.cao_on(day) == code:
        return False
    latest = employer.caos[-1]
    if day < latest.valid_from:
        raise Conflict(f"cao_valid_from: the employer's CAO last changed on {latest.valid_from.isoformat()} "
                       f"(to {latest.cao_code}); a change cannot come before it", ["cao_change_before_latest"])
    invoiced = last_invoiced_day(session, employer.id)
    if invoiced is not None and day <= invoiced:
        raise Conflict(f"cao_valid_from: hours up to {invoiced.isoformat()} are on a final invoice to employer "
                       f"{employer.id} under the CAO of their day; a change must start after that date",
                       ["cao_change_invoiced"])
    old = employer.cao_on(day)
    if day == latest.valid_from:
        latest.cao_code = code
        if len(employer.caos) > 1 and employer.caos[-2].cao_code == code:
            employer.caos.remove(latest)
    else:
        employer.caos.append(EmployerCao(cao_code=code, valid_from=day))
    session.flush()
    audit.record(session, who, "change_cao", "employer", employer.id, {"cao_code": [old, code], "valid_from": day})
    return True


def cao_history(employer: Employer) -> list[dict]:
    """The employer's CAOs, oldest first: `cao_code`, `name` (as its latest version calls it),
    `valid_from` (None for the first: from the start) and `valid_to` (the last day; None: open)."""
    rows = employer.caos
    out = []
    for index, row in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        versions = catalogue().versions(row.cao_code) if row.cao_code in catalogue().codes() else []
        out.append({"cao_code": row.cao_code, "name": versions[-1].name if versions else row.cao_code,
                    "valid_from": row.valid_from if index else None,
                    "valid_to": following.valid_from - timedelta(days=1) if following else None})
    return out
