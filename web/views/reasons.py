"""An open slot's reasons in the page's language.

The planner writes them in English (scheduling/explain.py; the solution file and the API keep
that text): "3 of 19 workers with groen: beyond their maximum travel distance". Each is the
workers it speaks of, a colon and why; both parts come from a short, fixed list, so the page
translates them piece by piece. The compliance screen's reasons ("worker 12 left out: RULE:
message", "barred for 2 workers: RULE: message") keep the rule code and give the worker's name and
the rule's message in the page's language. A text it does not know is shown as written.
"""
from __future__ import annotations

import re

from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from banenpool.services.plan_compliance import message_in, rule_messages
from web.views.filters import hours as hours_text

WHY = {  # explain._TEXT, as the planner formats them
    "beyond their maximum travel distance": _l("beyond their maximum travel distance"),
    "barred from this shift by a law or CAO rule for them (youth, night work, breaks)":
        _l("barred from this shift by a law or CAO rule for them (youth, night work, breaks)"),
    "not available (leave, absence or outside their hours)":
        _l("not available (leave, absence or outside their hours)"),
    "already on this shift": _l("already on this shift"),
    "already on an overlapping shift": _l("already on an overlapping shift"),
    "no travel time from or to another shift": _l("no travel time from or to another shift"),
    "their shift next to it would break a law or CAO rule with this one (a break over both, a night "
    "duty over 12 h, rest after a night shift)":
        _l("their shift next to it would break a law or CAO rule with this one (a break over both, "
           "a night duty over 12 h, rest after a night shift)"),
    "at their weekly maximum": _l("at their weekly maximum"),
    "free, but the planner did not place them (time limit, or planned in another region)":
        _l("free, but the planner did not place them (time limit, or planned in another region)"),
    "within reach but busy or at a limit (not analysed one by one: time limit)":
        _l("within reach but busy or at a limit (not analysed one by one: time limit)"),
}
ANY_SKILL = "any skill"   # explain's words for the skills of a shift that asks none
ONLY = re.compile(r"the only worker with (?P<skills>.+)")
ALL = re.compile(r"all (?P<n>\d+) workers with (?P<skills>.+)")
SOME = re.compile(r"(?P<n>\d+) of (?P<m>\d+) workers with (?P<skills>.+)")
REST = re.compile(r"would get less than (?P<hours>[\d.]+) h (?P<kind>daily|weekly) rest")
EMPLOYER = re.compile(r"may not work for (?P<employer>.+)")
NO_SKILL = re.compile(r"no worker has skills? (?P<skills>.+)")
TOO_LONG = re.compile(r"the shift lasts (?P<hours>[\d.]+) h, more than the (?P<limit>[\d.]+) h allowed")
LEFT_OUT = re.compile(r"worker (?P<worker>\d+) left out: (?P<why>.+)")     # plan_compliance.LeftOut.reason
BARRED = re.compile(r"barred for (?P<n>\d+) workers?: (?P<why>.+)")        # plan_compliance._why_barred


def reason_text(text: str, employers: dict | None = None, workers: dict | None = None) -> str:
    """`text` (one planner reason) in the page's language; `employers`, `workers`: id → record, for names."""
    if said := _screened(text, workers or {}):
        return said
    if m := NO_SKILL.fullmatch(text):
        return _("no worker has skill %(skills)s", skills=m["skills"])
    if m := TOO_LONG.fullmatch(text):
        return _("the shift lasts %(hours)s h, more than the %(limit)s h allowed",
                 hours=_number(m["hours"]), limit=_number(m["limit"]))
    who, sep, why = text.partition(": ")
    said_who, said_why = _who(who), _why(why, employers or {})
    if not sep or said_who is None or said_why is None:
        return text
    return f"{said_who}: {said_why}"


def _screened(text: str, workers: dict) -> str | None:
    """A reason of the compliance screen: whose proposal was left out or how many are barred, and why."""
    if m := LEFT_OUT.fullmatch(text):
        why = rule_text(m["why"])
        worker = workers.get(int(m["worker"]))
        if worker is not None:
            return _("%(worker)s left out: %(why)s", worker=worker.name, why=why)
        return _("worker %(id)s left out: %(why)s", id=m["worker"], why=why)
    if m := BARRED.fullmatch(text):
        if m["n"] == "1":
            return _("barred for 1 worker: %(why)s", why=rule_text(m["why"]))
        return _("barred for %(n)s workers: %(why)s", n=m["n"], why=rule_text(m["why"]))
    return None


def rule_text(text: str) -> str:
    """ "RULE: message; RULE: message" (the compliance rules' English, as stored) in the page's language."""
    found = rule_messages(text)
    if not found:
        return text
    lang = str(get_locale() or "nl")
    return "; ".join(f"{rule}: {message_in(lang, message)}" for rule, message in found)


def _who(text: str) -> str | None:
    if m := ONLY.fullmatch(text):
        return _("the only worker with %(skills)s", skills=_skills(m["skills"]))
    if m := ALL.fullmatch(text):
        return _("all %(n)s workers with %(skills)s", n=m["n"], skills=_skills(m["skills"]))
    if m := SOME.fullmatch(text):
        return _("%(n)s of %(m)s workers with %(skills)s", n=m["n"], m=m["m"], skills=_skills(m["skills"]))
    return None


def _skills(text: str) -> str:
    """The skills as the planner names them ("groen+heftruck"); a shift asking none is "any skill"."""
    return _("any skill") if text == ANY_SKILL else text


def _why(text: str, employers: dict) -> str | None:
    if text in WHY:
        return str(WHY[text])
    if m := REST.fullmatch(text):
        hours = _number(m["hours"])
        return (_("would get less than %(hours)s h daily rest", hours=hours) if m["kind"] == "daily"
                else _("would get less than %(hours)s h weekly rest", hours=hours))
    if m := EMPLOYER.fullmatch(text):
        employer = employers.get(int(m["employer"])) if m["employer"].isdigit() else None
        return _("may not work for %(employer)s", employer=employer.name if employer else m["employer"])
    return None


def _number(text: str) -> str:
    return hours_text(text)
