"""A plan's progress message and failure in the page's language.

The planner (scheduling/) and the planning job (banenpool.services.planning) write them in
English, and the database and the API keep that text. A message is a chain of prefixes ("week
2/4: ", "coverage: ") and one step ("model built: 1200 pairs, 800 rows"); the page translates the
prefixes and the steps it knows, numbers in the page's format. A step it does not know (the bound's
technical details, say) is shown as written.
"""
from __future__ import annotations

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l

from web.views.filters import hours, when
from web.views.messages import matched

STAGES = {"coverage": _l("coverage"), "minimum hours": _l("minimum hours"),
          "target hours and travel": _l("target hours and travel")}   # scheduling/stages.py
STATUS = {"optimal": _l("best possible"), "feasible": _l("a plan, not proven best"),
          "infeasible": _l("no plan keeps the fixed shifts")}
PREFIX = [  # (pattern with the rest of the message in `rest`, its text)
    (re.compile(r"week (?P<i>\d+)/(?P<n>\d+): (?P<rest>.+)"), _l("week %(i)s/%(n)s: %(rest)s")),
    (re.compile(r"large region (?P<i>\d+)/(?P<n>\d+): (?P<rest>.+)"), _l("large region %(i)s/%(n)s: %(rest)s")),
    (re.compile(r"region (?P<i>\d+)/(?P<n>\d+): (?P<rest>.+)"), _l("region %(i)s/%(n)s: %(rest)s")),
    (re.compile(r"improving neighbourhoods: (?P<rest>.+)"), _l("improving neighbourhoods: %(rest)s")),
    (re.compile(rf"(?P<stage>{'|'.join(STAGES)}): (?P<rest>.+)"), "%(stage)s: %(rest)s"),
]
STEP = [  # (pattern of one step, its text); groups named x, y are numbers
    (re.compile(r"queued"), _l("waiting for the planner")),
    (re.compile(r"starting"), _l("starting")),
    (re.compile(r"done"), _l("done")),
    (re.compile(r"failed"), _l("failed")),
    (re.compile(r"done: (?P<status>\w+)"), _l("done: %(status)s")),
    (re.compile(r"finding eligible worker-shift pairs"), _l("finding the workers who can take each shift")),
    (re.compile(r"checking fixed shifts"), _l("checking the fixed shifts")),
    (re.compile(r"explaining open shifts"), _l("explaining the open shifts")),
    (re.compile(r"checking the plan against the working-time rules"),
     _l("checking the plan against the working-time rules")),
    (re.compile(r"giving published shifts back"), _l("giving published shifts back")),
    (re.compile(r"handing shifts to workers short of their minimum hours"),
     _l("handing shifts to workers short of their minimum hours")),
    (re.compile(r"repairing week edges and filling open slots"),
     _l("repairing the edges of the weeks and filling open slots")),
    (re.compile(r"bounding each week \(LP relaxations\)"), _l("bounding each week (LP relaxations)")),
    (re.compile(r"bounding each week \(LP relaxations; all weeks in a second process as well\)"),
     _l("bounding each week (LP relaxations; all weeks in a second process as well)")),
    (re.compile(r"first plan: (?P<x>[\d.]+) priority-weighted hours"),
     _l("first plan: %(x)s priority-weighted hours")),
    (re.compile(r"after (?P<n>\d+) neighbourhoods: (?P<x>[\d.]+) priority-weighted hours"),
     _l("after %(n)s neighbourhoods: %(x)s priority-weighted hours")),
    (re.compile(r"(?P<n>\d+) eligible pairs: planning week by week"),
     _l("%(n)s possible worker-shift pairs: planning week by week")),
    (re.compile(r"model built: (?P<n>\d+) pairs, (?P<m>\d+) rows"), _l("model built: %(n)s pairs, %(m)s rows")),
    (re.compile(rf"stage (?P<i>\d+)/(?P<n>\d+): (?P<stage>{'|'.join(STAGES)})"), _l("stage %(i)s/%(n)s: %(stage)s")),
    (re.compile(r"step (?P<n>\d+): (?P<m>\d+) improvements"), _l("step %(n)s: %(m)s improvements")),
    (re.compile(r"(?P<n>\d+) s: best (?P<x>-?[\d.]+), bound (?P<y>-?[\d.]+|-?inf)"),
     _l("%(n)s s: best %(x)s, bound %(y)s")),
    (re.compile(r"LP relaxation (?P<x>-?[\d.]+) on (?P<n>\d+) pairs; plan over them (?P<y>-?[\d.]+)"),
     _l("LP relaxation %(x)s on %(n)s pairs; plan over them %(y)s")),
    (re.compile(r"target hours: (?P<n>\d+) exchanges after the search, (?P<x>-?[\d.]+) → (?P<y>-?[\d.]+)"),
     _l("target hours: %(n)s exchanges after the search, %(x)s → %(y)s")),
    (re.compile(r"planning again over (?P<n>\d+) pairs: its LP's and each worker's best week in the "
                r"Lagrangian bound"),
     _l("planning again over %(n)s pairs: those of its LP and of each worker's best week in the "
        "Lagrangian bound")),
    (re.compile(r"planning over the (?P<n>\d+) of (?P<m>\d+) pairs its LP uses \(LP (?P<x>-?[\d.]+)\)"),
     _l("planning over the %(n)s of %(m)s pairs its LP uses (LP %(x)s)")),
    (re.compile(r"the worker process stopped: no heartbeat since (?P<moment>\S+)"),
     _l("the planning process stopped: no sign of life since %(moment)s")),
    (re.compile(r"the worker process stopped: no heartbeat since the start"),
     _l("the planning process stopped: no sign of life since the start")),
]


def progress_text(text: str | None) -> str:
    """A plan's progress message or error in the page's language; unknown text as written."""
    if not text:
        return ""
    for pattern, said in PREFIX:
        if m := pattern.fullmatch(text):
            values = {**m.groupdict(), "rest": progress_text(m["rest"])}
            if "stage" in values:
                values["stage"] = str(STAGES[values["stage"]])
            return str(said) % values
    return matched(STEP, text, _value) or text


def _value(key: str, raw: str) -> str:
    if key in ("x", "y") and raw.lstrip("-").replace(".", "", 1).isdigit():
        return hours(raw)
    if key == "status":
        return str(STATUS.get(raw, raw))
    if key == "stage":
        return str(STAGES[raw])
    if key == "moment":
        try:
            return when(datetime.fromisoformat(raw))
        except ValueError:
            return raw
    return raw
