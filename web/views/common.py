"""Helpers the role pages share: who is logged in, role checks, weeks, local times, colours."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import wraps

from flask import abort, current_app, flash, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required

from banenpool.calendar_nl import AMS, FIRST_DAY, LAST_DAY, today_local
from banenpool.models import Employer, Worker
from banenpool.principal import Principal
from web.database import session

# one colour per employer (by id), readable with dark text; the legend repeats the name
PALETTE = ("#8ecae6", "#ffb703", "#90be6d", "#f4a7b9", "#cdb4db", "#f8961e", "#a8dadc", "#e9c46a",
           "#b5e48c", "#ffafcc")


def who() -> Principal:
    return current_user.principal


def role_required(*roles: str):
    """Anonymous → login page; logged in with another role → 403."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.principal.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def lang() -> str:
    return str(get_locale() or "nl")


def colour(employer_id: int) -> str:
    return PALETTE[(employer_id - 1) % len(PALETTE)]


def local(moment: datetime) -> datetime:
    return moment.astimezone(AMS)


def today() -> date:
    return today_local()


def this_monday() -> date:
    day = today()
    return day - timedelta(days=day.weekday())


def week_arg(name: str = "week") -> date:
    """Monday of the ISO week in ?week=2026-W13 (default: this week); 404 for nonsense."""
    raw = request.args.get(name)
    if not raw:
        return this_monday()
    try:
        year, _, week = raw.upper().partition("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        abort(404)
    if not FIRST_DAY <= monday <= LAST_DAY:
        abort(404)
    return monday


def iso_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def date_arg(name: str, default: date) -> date:
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        abort(404)
    if not FIRST_DAY <= day <= LAST_DAY:
        abort(404)
    return day


def employer_names(ids) -> dict[int, str]:
    """Names of employers whose shifts the caller may already see (read for display only)."""
    return {i: (e.name if (e := session().get(Employer, i)) else f"#{i}") for i in set(ids)}


def worker_names(ids) -> dict[int, str]:
    """Names of workers on assignments the caller may already see (read for display only)."""
    return {i: (w.name if (w := session().get(Worker, i)) else f"#{i}") for i in set(ids)}


def clock(moment: datetime) -> str:
    return local(moment).strftime("%H:%M")


def later_shifts(empty: bool, after: date, endpoint: str, arg: str = "week") -> dict | None:
    """Where a page that shows no shifts can point the user: the day and ISO week of the first
    shift they may see from `after` on, and the page (`endpoint`) at that week (`arg` "week")
    or from its Monday (any other `arg`, e.g. "from"). None when the page shows shifts or none
    follow."""
    from banenpool.services.shifts import next_shift_day
    if not empty:
        return None
    day = next_shift_day(session(), who(), after)
    if day is None:
        return None
    monday = day - timedelta(days=day.weekday())
    week = iso_week(monday)
    return {"day": day, "week": week,
            "url": url_for(endpoint, **{arg: week if arg == "week" else monday.isoformat()})}


def calendar_address(issue) -> str | None:
    """The private iCalendar feed URL of the token `issue(banenpool.services.calendar)` returns (made on
    first use), or None when the feed route is not installed."""
    if "calendar_feeds.feed" not in current_app.view_functions:
        return None
    from banenpool.services import calendar
    token = issue(calendar)
    session().commit()
    return url_for("calendar_feeds.feed", token=token, _external=True)


def renew_calendar_address(rotate, done: str) -> None:
    """A new private feed address (`rotate(banenpool.services.calendar)`); the old one stops working.
    `done` is flashed."""
    if "calendar_feeds.feed" not in current_app.view_functions:
        abort(404)
    from banenpool.services import calendar
    rotate(calendar)
    session().commit()
    flash(done, "info")
