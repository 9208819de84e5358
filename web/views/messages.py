"""The services' refusals in the page's language.

The services speak English, for the API, and name what they refuse by internal ids ("the hours
of assignment 294 ... timesheet 408"). A page shows a 409 by its rule code, and a 422 field by
field with the form's own label, in the user's language. A message it does not know is shown as
the service wrote it.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from banenpool.errors import InvalidInput
from web.views.filters import day, hours, when

CONFLICT = {  # rule code → what it means for the user
    "timesheet_approved": _l("these hours are approved and no longer change; reopen the approval to correct them"),
    "not_confirmed": _l("this shift is not (or no longer) confirmed for this worker"),
    "no_timesheet": _l("no hours are registered yet"),
    "timesheet_overlap": _l("these hours overlap other hours registered for this worker; a worker cannot work "
                            "two jobs at once, so correct one of them"),
    "planned_elsewhere": _l("these hours overlap the worker's confirmed shift at another employer; the worker or "
                            "the pool can register them"),
    "not_approved": _l("these hours are not approved, so they can still be corrected"),
    "timesheet_billed": _l("these hours are on a final invoice; that invoice has to be credited first"),
    "later_hours_billed": _l("later hours of this worker in the same week are on a final invoice, and their "
                             "overtime counts these hours; that invoice has to be credited first"),
    "hours_waiting": _l("no hours can be billed yet: earlier shifts of the same week have no approved hours, and "
                        "they fix the week's overtime; approve or cancel those first"),
    "hours_changed": _l("hours on this draft changed since it was made (reopened, corrected or cancelled); "
                        "discard it and make a new draft"),
    "already_billed": _l("some of these hours are already on a final invoice; make a new draft"),
    "buyer_incomplete": _l("the employer's details are not complete for an invoice (address, VAT number)"),
    "vat_scheme_mixed": _l("the employer's CAO changes within this invoice's hours, and with it the VAT (btw "
                           "verlegd or 21 %); discard this draft and invoice the hours before and from that day "
                           "separately"),
    "invoice_final": _l("this invoice is final and never changes; a credit note cancels it"),
    "not_creditable": _l("only a final invoice can be credited"),
    "published": _l("this plan is already published"),
    "not_done": _l("only a finished plan can be published"),
    "infeasible": _l("this plan cannot be published: the fixed shifts in it break a rule"),
    "base_changed": _l("the planning data changed since this plan was made and the plan no longer holds on it (a "
                       "shift it fills was called off or changed, a worker it calls is absent, or the confirmed "
                       "calls in its period changed); make a new plan"),
    "shifts_begun": _l("this plan changes shifts that have begun since it was made; make a new plan"),
    "overlapping_plan_published": _l("a plan for an overlapping period was published since; make a new plan"),
    "cancelled_call": _l("this shift was cancelled less than 4 days ahead: its planned hours are owed as wages"),
    "invoice_draft": _l("a draft has no number yet: the e-invoice is made once the invoice is final"),
    "hours_after_end": _l("approved hours were paid under the contract as it ran; this last day would put them "
                          "under another contract or none"),
    "below_assigned": _l("more workers are confirmed on this shift; the pool cancels one first"),
    "shift_begun": _l("this shift has begun; it no longer changes"),
    "shift_cancelled": _l("this shift is cancelled"),
    "taken_by_worker": _l("you took this shift yourself: it is no call you may refuse; ask the pool to cancel it"),
    "call_in_time": _l("you were called at least 4 days before the shift: the call stands; ask the pool to cancel it"),
    "fixed_hours": _l("your contract for this work has fixed hours: only on-call and min-max workers may refuse a "
                      "late call"),
    "link_used": _l("this link was used already: the password was set with it; ask the pool for a new one"),
    "login_exists": _l("this worker has a login already; make a new link to choose its password"),
    "login_blocked": _l("this login is blocked; allow it again before making a link to choose its password"),
    "email_taken": _l("this e-mail address is already in use by another worker or login"),
    "kvk_taken": _l("this Chamber of Commerce number is already registered to another employer"),
    "cao_change_invoiced": _l("hours from this day on are on a final invoice under the CAO they were worked "
                              "under; choose a later day, or credit that invoice first"),
    "cao_change_before_latest": _l("the employer's CAO changes later than this day already; choose that day or "
                                   "a later one (the same day corrects that change)"),
    "hours_before_contract": _l("approved hours in this period were paid under another contract or none; this "
                                "contract would put them under itself"),
    "contract_overlap": _l("the worker has another contract with this employer over these days; end that "
                           "contract first"),
    "hours_under_contract": _l("approved hours were paid under this contract; it cannot be removed, set its last "
                               "day instead"),
    "worker_left": _l("the worker left the pool before this shift's day"),
    "assignments_after_leaving": _l("the worker has confirmed shifts after this day; cancel them or give them "
                                    "to another worker on the shift's page first"),
    "hours_after_leaving": _l("the worker has approved hours after this day: they worked then, so their last "
                              "day is later"),
    "contracts_after_leaving": _l("a contract of the worker starts after this day; remove it first (it was "
                                  "entered for work that will not be done)"),
    "payroll_period_overlap": _l("this period overlaps a closed payroll period; a period is closed once, so "
                                 "choose the days after it"),
    "payroll_incomplete": _l("the statement leaves out hours or guaranteed hours top-ups that are not final yet; "
                             "tick “Close anyway” to close it as it is (they are paid as a correction in a later "
                             "period)"),
    "compliance": _l("new shifts of this plan break the Working Hours Act or a CAO together with shifts "
                     "confirmed since it was made; make a new plan"),
}

RULE = {  # the planner's rules (contracts.worktime) as a page says why a worker cannot take a shift
    "W01": _l("the shift already has all its workers"),
    "W02": _l("already has this shift"),
    "W03": _l("lacks a skill the shift needs"),
    "W04": _l("may not work for this employer"),
    "W05": _l("lives further away than their maximum travel distance"),
    "W06": _l("not available (leave, absence or outside their hours)"),
    "W07": _l("has another shift at that time"),
    "W08": _l("not enough travel time between two employers"),
    "W11": _l("the shift is longer than allowed"),
    "W12": _l("too little daily rest (11 hours in every 24)"),
    "W13": _l("too little weekly rest (36 hours)"),
    "W14": _l("above their maximum hours that week"),
    "W15": _l("the law or a CAO does not allow this shift for this worker"),
    "W16": _l("has a shift that does not combine with this one"),
    "worker_left": _l("left the pool before this shift's day"),
}

YOUR_RULE = {  # the same, as a worker's own page says why they cannot take a shift ("je")
    **{rule: RULE[rule] for rule in ("W01", "W08", "W11", "W12", "W13")},
    "W02": _l("you already have this shift"),
    "W03": _l("you lack a skill the shift needs"),
    "W04": _l("you may not work for this employer"),
    "W05": _l("it is further away than your maximum travel distance"),
    "W06": _l("you are not available then (leave, absence or outside your hours)"),
    "W07": _l("you have another shift at that time"),
    "W14": _l("above your maximum hours that week"),
    "W15": _l("the law or a CAO does not allow this shift for you"),
    "W16": _l("you have a shift that does not combine with this one"),
    "worker_left": _l("you leave the pool before this shift's day"),
    "shift_begun": _l("this shift has begun; it can no longer be taken"),
}

FIELD = [  # (pattern of a service's field message, its text; groups become named values)
    (re.compile(r"must not be before (?P<other>[a-z_]+)( \(.*\))?"), _l("must not be before %(other)s")),
    (re.compile(r"must be on or after (?P<other>[a-z_]+)"), _l("must be on or after %(other)s")),
    (re.compile(r"must be after start"), _l("must be after the start")),
    (re.compile(r"must differ from start"), _l("must differ from the start")),
    (re.compile(r"a timesheet covers at most (?P<n>\d+) hours"), _l("hours cover at most %(n)s hours")),
    (re.compile(r"must be at least 0 and shorter than the time worked"),
     _l("must be at least 0 and shorter than the time worked")),
    (re.compile(r"hours are registered once they are worked; this end lies in the future"),
     _l("hours are registered once they are worked; this end lies in the future")),
    (re.compile(r"must lie within 12 hours of the planned start (?P<moment>\S+)"),
     _l("must lie within 12 hours of the planned start (%(moment)s)")),
    (re.compile(r"no approved, unbilled hours for employer \d+ from (?P<first>\S+) to (?P<last>\S+)"),
     _l("no approved hours that are not yet invoiced from %(first)s to %(last)s")),
    (re.compile(r"a plan covers at most (?P<n>\d+) days"), _l("a plan covers at most %(n)s days")),
    (re.compile(r"a payroll period is at most (?P<most>\d+) days; this one has (?P<days>\d+)"),
     _l("a payroll period is at most %(most)s days; this one has %(days)s")),
    (re.compile(r"the period is not over yet; it can be closed from (?P<day>\S+) on"),
     _l("the period is not over yet; it can be closed from %(day)s on")),
    (re.compile(r"the period is over: every shift in it has begun; .*"),
     _l("the period is over: every shift in it has begun; tick “Also plan shifts that have already begun” to "
        "plan it all the same")),
    (re.compile(r"a request spans at most (?P<n>\d+) days"), _l("a request covers at most %(n)s days")),
    (re.compile(r"makes (?P<count>\d+) shifts; a request makes at most (?P<n>\d+): .*"),
     _l("this makes %(count)s shifts; a request makes at most %(n)s: split it into several requests or shorten "
        "the period")),
    (re.compile(r"a shift of (?P<hours>[\d.]+) h is longer than 12 hours"),
     _l("a shift of %(hours)s h is longer than 12 hours")),
    (re.compile(r"on (?P<day>\S+) this shift runs (?P<start>\S+)–(?P<end>\S+) local time \((?P<number>[\d.]+) h\) "
                r"because the clocks go back an hour; a shift lasts at most 12 hours"),
     _l("on %(day)s this shift runs %(start)s–%(end)s (%(number)s h) because the clocks go back an hour; "
        "a shift lasts at most 12 hours")),
    (re.compile(r"on (?P<day>\S+) this shift runs (?P<start>\S+)–(?P<end>\S+) local time \((?P<number>[\d.]+) h\) "
                r"because the clocks go forward an hour; that is not longer than its (?P<n>\d+) min break"),
     _l("on %(day)s this shift runs %(start)s–%(end)s (%(number)s h) because the clocks go forward an hour; "
        "that is not longer than its %(n)s min break")),
    (re.compile(r"a (?P<n>\d+) min break does not fit in a .*"), _l("a break of %(n)s min does not fit in the shift")),
    (re.compile(r"needs at least one line"), _l("needs at least one line")),
    (re.compile(r"no day between start_date and end_date falls on its weekdays.*"),
     _l("no day in the period falls on the chosen weekdays")),
    # the registry's schemas (web.api.workers/employers.schemas, web.api.fields) and marshmallow's own
    (re.compile(r"Missing data for required field\.|Field may not be null\."), _l("This field is required.")),
    (re.compile(r"Not a valid number\."), _l("Not a valid number.")),
    (re.compile(r"Not a valid email address\."), _l("Not a valid e-mail address.")),
    (re.compile(r"Not a valid date\."), _l("Not a valid date.")),
    (re.compile(r"Longer than maximum length (?P<n>\d+)\."), _l("at most %(n)s characters")),
    (re.compile(r"Must be greater than or equal to (?P<lo>\S+) and less than or equal to (?P<hi>\S+)\."),
     _l("must be between %(lo)s and %(hi)s")),
    (re.compile(r"must be from (?P<lo>\d+) to (?P<hi>\d+)"), _l("must be between %(lo)s and %(hi)s")),
    (re.compile(r"at most (?P<n>\d+) decimals"), _l("at most %(n)s decimals")),
    (re.compile(r"must not be blank"), _l("must not be blank")),
    (re.compile(r"must be one line, without line breaks"), _l("Keep this text on one line.")),
    (re.compile(r"is not your current password"), _l("is not your current password")),
    (re.compile(r"Special numeric values \(nan or infinity\) are not permitted\."), _l("Not a valid number.")),
    (re.compile(r"CAO (?P<cao>\S+) has no scale '(?P<scale>[^']*)'; known: (?P<known>.*)"),
     _l("CAO %(cao)s has no scale %(scale)s; it has %(known)s")),
    (re.compile(r"must be at least (?P<n>\d+) characters"), _l("must be at least %(n)s characters")),
    (re.compile(r"a pool worker is at least 15 years old"), _l("a pool worker is at least 15 years old")),
    (re.compile(r"must be within the last 100 years"), _l("must be within the last 100 years")),
    (re.compile(r"must be at least (?P<other>[a-z_]+) \((?P<number>[\d.]+)\)"),
     _l("must be at least %(other)s (%(number)s)")),
    (re.compile(r"hours must satisfy 0 ≤ min \((?P<lo>[\d.]+)\) ≤ target \((?P<target>[\d.]+)\) ≤ "
                r"max \((?P<hi>[\d.]+)\) ≤ 60"),
     _l("the hours must satisfy 0 ≤ minimum (%(lo)s) ≤ target (%(target)s) ≤ maximum (%(hi)s) ≤ 60")),
    (re.compile(r"must be a Dutch postcode like '7511 JM'"), _l("must be a Dutch postcode like 7511 JM")),
    (re.compile(r"a phone number has 6 to 20 digits, spaces or dashes"),
     _l("a phone number has 6 to 20 digits, spaces or dashes")),
    (re.compile(r"skills are lower-case words with digits and dashes.*"),
     _l("skills are lower-case words with digits and dashes, e.g. heftruck or rijbewijs-b")),
    (re.compile(r"a KvK number has exactly 8 digits"), _l("a Chamber of Commerce number has exactly 8 digits")),
    (re.compile(r"a Dutch VAT id looks like NL123456789B01"), _l("a Dutch VAT number looks like NL123456789B01")),
    (re.compile(r"this VAT id's check digits are wrong: a typing error\?"),
     _l("the check digits of this VAT number are wrong: a typing error?")),
    (re.compile(r"btw verlegd needs the customer's VAT id; the employer has none"),
     _l("reverse-charged VAT (btw verlegd) needs the employer's VAT number, and it has none")),
    (re.compile(r"the employer's CAO changes on (?P<day>\S+), and with it the VAT \(btw verlegd or 21 %\); hours "
                r"before and from that day go on separate invoices: end the period on (?P<last>\S+)"),
     _l("the employer's CAO changes on %(day)s, and with it the VAT (btw verlegd or 21 %%): hours before and from "
        "that day go on separate invoices; end the period on %(last)s")),
    (re.compile(r"an invoice needs the customer's street, postcode and city"),
     _l("an invoice needs the employer's street, postcode and city")),
    (re.compile(r"at most (?P<n>\d+) characters"), _l("at most %(n)s characters")),
    (re.compile(r"must not contain control characters"), _l("must not contain control characters")),
    (re.compile(r"must be in the future"), _l("must be in the future")),
    (re.compile(r"must be more than 0 and at most (?P<n>\d+)"), _l("must be more than 0 and at most %(n)s")),
    (re.compile(r"must not be in the future"), _l("must not be in the future")),
    (re.compile(r"must not be before the contract starts"), _l("must not be before the contract starts")),
    (re.compile(r"must be a number of hours"), _l("must be a number of hours")),
    (re.compile(r"a contract with fixed hours has more than 0 hours per week; 0 hours is an on-call contract"),
     _l("a contract with fixed hours has more than 0 hours per week; 0 hours is an on-call contract")),
    (re.compile(r"must be a date"), _l("must be a date")),
    (re.compile(r"must not be before the start of the worker's first contract \((?P<day>\S+)\)"),
     _l("must not be before the start of the worker's first contract (%(day)s)")),
    (re.compile(r"must not be after the worker's last day in the pool \((?P<day>\S+)\)"),
     _l("must not be after the worker's last day in the pool (%(day)s)")),
    (re.compile(r"the worker's last day in the pool is (?P<day>\S+): the contract ends on that day at the latest"),
     _l("the worker's last day in the pool is %(day)s: the contract ends on that day at the latest")),
    (re.compile(r"CAO '(?P<cao>[^']*)' has no version valid on (?P<day>\S+)"),
     _l("CAO %(cao)s has no version in force on %(day)s")),
    (re.compile(r"send it with cao_code: the day the employer's CAO changes"),
     _l("give it with the CAO: the day the employer's CAO changes")),
    (re.compile(r"overlaps the school holiday (?P<first>\S+) through (?P<last>\S+)"),
     _l("overlaps the school holiday %(first)s through %(last)s")),
    (re.compile(r"at most (?P<n>\d+) school holidays"), _l("at most %(n)s school holidays")),
]
# services/timesheets.py _cao_on
_UNPRICED = r"the hours of assignment \d+ \(.*\) cannot be priced: CAO '(?P<cao>[^']*)' "
_OF_EMPLOYER, _OF_CONTRACT = r"of employer .*", r"of the worker's contract \d+"
_NO_VERSION, _FIRST = r" has no version valid on (?P<day>\S+)", r" \(its first version starts (?P<first>\S+)\)"
PRICING = [  # why approved hours cannot be priced
    (re.compile(_UNPRICED + _OF_EMPLOYER + _NO_VERSION + _FIRST),
     _l("the employer's CAO %(cao)s has no version in force on %(day)s (its first version starts on %(first)s)")),
    (re.compile(_UNPRICED + _OF_EMPLOYER + _NO_VERSION),
     _l("the employer's CAO %(cao)s has no version in force on %(day)s")),
    (re.compile(_UNPRICED + _OF_CONTRACT + _NO_VERSION + _FIRST),
     _l("the CAO %(cao)s of the worker's contract has no version in force on %(day)s (its first version starts "
        "on %(first)s)")),
    (re.compile(_UNPRICED + _OF_CONTRACT + _NO_VERSION),
     _l("the CAO %(cao)s of the worker's contract has no version in force on %(day)s")),
]
LABELS = {  # the services' field names as a page calls them
    "start_date": _l("From"), "end_date": _l("Through"), "period_start": _l("From"), "period_end": _l("Through"),
    "start": _l("Start"), "end": _l("End"), "break_minutes": _l("Break (min)"), "employer_id": _l("Employer"),
    "pattern": _l("Lines"), "min_hours_per_week": _l("Minimum hours per week"),
    "target_hours_per_week": _l("Target hours per week"), "current": _l("Current password"),
    "password": _l("New password"), "max_hours_per_week": _l("Maximum hours per week"),
    "reason": _l("Reason"), "hours": _l("Hours"), "offered_on": _l("Offered on"), "headcount": _l("Workers needed"),
    "scale": _l("Wage scale"), "left_on": _l("Left the pool on"), "cao_code": _l("CAO"),
    "cao_valid_from": _l("New CAO from"), "school_holidays": _l("School holidays"), "first_day": _l("From"),
    "last_day": _l("Through"), "accept_incomplete": _l("Close anyway"),
}


def refusal(exc: Exception) -> str:
    """A 409 as one sentence in the page's language (the service's own text when no rule is known)."""
    rules = getattr(exc, "rules", None) or ()
    for rule in rules:
        if rule in CONFLICT:
            return str(CONFLICT[rule])
    if rules and all(rule in RULE for rule in rules):
        return "; ".join(str(RULE[rule]) for rule in rules)
    return str(exc)


RULE_MESSAGE = [  # (pattern of a rule's message that names what the page says too, its text)
    (re.compile(r"worker_left: worker \d+ left the pool on (?P<day>\S+); .*", re.S), _l("left the pool on %(day)s")),
]


def rule_reason(rule: str, message: str, rules: dict = RULE) -> str:
    """Why a worker cannot take a shift, in the page's language: the planner's rules by their code
    (`rules`: YOUR_RULE on the worker's own pages; the day a worker left the pool from its message);
    the compliance rules' own message (they speak the page's language), without its code."""
    if said := matched(RULE_MESSAGE, message, _value):
        return said
    if rule in rules:
        return str(rules[rule])
    return message.removeprefix(f"{rule}: ")


def invalid(exc: InvalidInput) -> str:
    """A 422's fields and reasons: "Until: must not be before From; #2 End: ..."."""
    return "; ".join(field_messages(exc.errors))


def field_messages(errors: dict, prefix: str = "") -> list[str]:
    out = []
    for key, value in errors.items():
        label = str(LABELS.get(key, key))
        if isinstance(value, dict):
            out += field_messages(value, f"{prefix}{'' if key == 'pattern' else label + ' '}")
        else:
            out += [f"{prefix}{label}: {field_text(m)}" for m in (value if isinstance(value, list) else [value])]
    return out


def leaf_messages(errors) -> list[str]:
    """A 422's reasons without the path to them (a list's index, a nested object's name), for a
    form that asked for one entry of that list."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in leaf_messages(value)]
    return [field_text(m) for m in (errors if isinstance(errors, list) else [errors])]


def pricing_reason(text: str) -> str:
    """Why approved hours cannot be priced, in the page's language (the service's text when not known)."""
    return matched(PRICING, text, _value) or text


def field_text(message: str) -> str:
    return matched(FIELD, str(message), _value) or str(message)


def matched(table: list, text: str, value) -> str | None:
    """`text` by the first (pattern, text) of `table` it matches, its groups written by value(name, raw)."""
    for pattern, said in table:
        if m := pattern.fullmatch(text):
            return str(said) % {k: value(k, v) for k, v in m.groupdict().items()}
    return None


def _value(key: str, raw: str) -> str:
    if key == "other":
        return str(LABELS.get(raw, raw))
    try:
        if key in ("number", "lo", "hi", "target", "hours"):
            return hours(raw)
        if key == "moment":
            return when(datetime.fromisoformat(raw))
        if key in ("first", "last", "day"):
            return day(date.fromisoformat(raw), "d MMM y")
    except (ValueError, ArithmeticError):    # not a number or date after all: as written
        pass
    return raw
