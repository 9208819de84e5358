"""The worker's open shifts: the coming shifts with a free place they may take, a week at a time, and
taking one with a button (banenpool.services.open_shifts judges as the pool's manual assignment)."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from banenpool.errors import Conflict, NotFound
from banenpool.models import Employer
from banenpool.services import open_shifts
from web.database import session
from web.views.common import colour, iso_week, lang, local, role_required, this_monday, week_arg, who
from web.views.filters import when
from web.views.forms import EmptyForm
from web.views.messages import CONFLICT, YOUR_RULE, refusal, rule_reason

bp = Blueprint("open_shifts_pages", __name__, url_prefix="/me/open-shifts")


@bp.get("")
@role_required("worker")
def week():
    """One ISO week (?week=2027-W13, default this one), which keeps the page quick: each open shift is
    judged for the worker (a week of the demo's spring peak takes about 0.2 s)."""
    monday = week_arg()
    sunday = monday + timedelta(days=6)
    listed = open_shifts.open_shifts(session(), who(), monday, sunday, lang=lang())
    days = defaultdict(list)
    for row in listed:
        days[local(row.shift.start).date()].append(row)
    later = None if listed else open_shifts.next_open_day(session(), who(), sunday + timedelta(days=1))
    return render_template("worker/open_shifts.html", days=sorted(days.items()), button=EmptyForm(),
                           colour=colour, week=iso_week(monday), current=monday == this_monday(),
                           prev=iso_week(monday - timedelta(days=7)), next=iso_week(monday + timedelta(days=7)),
                           later=later and {"day": later, "week": iso_week(later - timedelta(days=later.weekday()))})


@bp.post("/<int:shift_id>/claim")
@role_required("worker")
def claim(shift_id):
    back = url_for(".week", week=request.args.get("week") or None)
    try:
        a = open_shifts.claim(session(), who(), shift_id)
    except NotFound:
        session().rollback()
        flash(_("Not taken: that shift does not exist (any more)."), "error")
    except Conflict as exc:
        session().rollback()
        flash(_("Not taken: %(reason)s", reason=_why_not(exc, shift_id)), "error")
    else:
        session().commit()
        flash(_("The shift of %(day)s at %(employer)s is yours; it is in your schedule and calendar.",
                day=when(a.shift.start), employer=session().get(Employer, a.shift.employer_id).name), "info")
    return redirect(back)


def _why_not(exc: Conflict, shift_id: int) -> str:
    """A refused claim in the page's language: a known refusal by its code, else the rules the worker
    would break, judged again in the page's language and said to them (a rule the worker's own pages
    name, such as having left the pool, said to them first)."""
    if exc.rules and all(rule in YOUR_RULE for rule in exc.rules):
        return "; ".join(str(YOUR_RULE[rule]) for rule in exc.rules)
    if any(rule in CONFLICT for rule in exc.rules):
        return refusal(exc)
    broken = open_shifts.my_refusals(session(), who(), shift_id, lang=lang())
    return "; ".join(dict.fromkeys(rule_reason(rule, message, YOUR_RULE) for rule, message in broken)) \
        or refusal(exc)
