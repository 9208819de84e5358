"""Invoices to employers for approved hours: drafts, gap-free numbering, immutability, credit notes.

Lines: every pay element of an approved timesheet (base hours, each surcharge, overtime, minimum
paid hours) is its own invoice line, described as "<element> — <worker> <date>": the rate is the
worker's pay rate under the applicable CAO × the employer's tariff factor, rounded half up to the
cent, and the amount is hours × rate, rounded half up. The tariff factor covers holiday allowance
and employer costs, so those are not billed separately.
Finalising prices the draft's hours again, under the CAO in force on each work date as the catalogue
and the employer's CAO history are then (a new CAO version, or a change of the employer's CAO from a
date, may have come in since the draft), so a final invoice is always priced by the rules in force;
hours that cannot be priced any more → 409.
VAT: 21 %, or reverse charge ("btw verlegd", category AE, 0 %) for staff lent to employers under
CAO hoveniers or schoonmaak (nl-facts §7), as the employer's CAO is on the last work date the invoice
bills (`vat_day`; a change of the employer's CAO after its hours, also one dated in the future, does
not change the VAT of hours worked before it). VAT is computed once per invoice on the subtotal, so
one invoice has one VAT scheme: hours on both sides of a change of the employer's CAO between a
reverse-charged CAO and another are refused on one invoice (`vat_change`: 422 on a new draft, 409
`vat_scheme_mixed` on finalising a draft such a change reached since); they are invoiced separately.
"""
from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from banenpool.calendar_nl import AMS, today_local
from banenpool.db import utcnow
from banenpool.errors import Conflict, InvalidInput, NotFound
from banenpool.models import Employer, Invoice, InvoiceCounter, InvoiceLine
from banenpool.principal import Principal
from banenpool.services import audit
from banenpool.services.timesheets import EarlierCalls, approved_in_period, timesheet_pay

CENT = Decimal("0.01")
STANDARD_VAT = Decimal("21")
REVERSE_CHARGE_CAOS = frozenset({"hoveniers", "schoonmaak"})  # staff lending with btw verlegd (nl-facts §7)
PAYMENT_DAYS = 30

SELLER_DEFAULTS = {  # the intermediary; override with BANENPOOL_SELLER_<KEY>
    "name": "Banenpool Twente BV", "kvk_number": "87654321", "vat_number": "NL876543219B01",
    "street": "Stationsplein 1", "postcode": "7511 JD", "city": "Enschede", "country": "NL",
    "iban": "NL91ABNA0417164300", "email": "facturen@banenpool.example",
}


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def seller_party() -> dict:
    """The intermediary as seller, from the environment (read at call time) with defaults."""
    return {key: os.environ.get(f"BANENPOOL_SELLER_{key.upper()}", default) for key, default in SELLER_DEFAULTS.items()}


def buyer_party(employer: Employer, day: date) -> dict:
    """The employer as buyer, with its CAO on `day` (the invoice's `vat_day`)."""
    return {"name": employer.name, "kvk_number": employer.kvk_number, "vat_number": employer.vat_number,
            "street": employer.street, "postcode": employer.postcode, "city": employer.city, "country": "NL",
            "email": employer.invoice_email, "cao_code": employer.cao_on(day)}


def reverse_charged(employer: Employer, day: date) -> bool:
    """Whether staff lent to the employer on `day` is reverse charged: its CAO that day is one of
    REVERSE_CHARGE_CAOS. An invoice takes its `vat_day` (the employer's CAO may change during its
    period; one invoice has one VAT scheme)."""
    return employer.cao_on(day) in REVERSE_CHARGE_CAOS


def vat_day(lines: list[InvoiceLine], period_end: date) -> date:
    """The day whose employer CAO decides an invoice's VAT scheme and names the buyer's CAO: the last
    work date it bills, not the period's last day (which may lie after a change of the employer's
    CAO that none of its hours fall under, also one dated in the future); without lines the period's
    last day."""
    return max((line.work_date for line in lines), default=period_end)


def vat_change(employer: Employer, lines: list[InvoiceLine]) -> date | None:
    """The day from which some of these lines' hours fall under a CAO of the employer with another
    VAT scheme than the first ones (reverse charge or not): the last change into that scheme before
    the first such hours; None when all of them have one scheme (changes in between that no hours
    fall under do not count)."""
    days = sorted({line.work_date for line in lines})
    if not days:
        return None
    first = reverse_charged(employer, days[0])
    other = next((day for day in days if reverse_charged(employer, day) != first), None)
    if other is None:
        return None
    return max((row.valid_from for row in employer.caos if days[0] < row.valid_from <= other
                and (row.cao_code in REVERSE_CHARGE_CAOS) != first), default=other)


def _vat_change_text(day: date) -> str:
    return (f"the employer's CAO changes on {day.isoformat()}, and with it the VAT (btw verlegd or 21 %); hours "
            f"before and from that day go on separate invoices: end the period on "
            f"{(day - timedelta(days=1)).isoformat()}")


BUYER_PROBLEMS = {"vat_number": "btw verlegd needs the customer's VAT id; the employer has none",
                  "address": "an invoice needs the customer's street, postcode and city"}


def _buyer_missing(employer: Employer, day: date) -> list[str]:
    """What the employer lacks to be the buyer now on an invoice whose `vat_day` is `day`
    (art. 35a Wet OB, nl-facts §7): keys of BUYER_PROBLEMS."""
    missing = []
    if reverse_charged(employer, day) and not employer.vat_number:
        missing.append("vat_number")
    if not (employer.street and employer.postcode and employer.city):
        missing.append("address")
    return missing


def _buyer_problems(employer: Employer, day: date) -> list[str]:
    """Why the employer cannot be the buyer now, in words."""
    return [BUYER_PROBLEMS[key] for key in _buyer_missing(employer, day)]


def _set_buyer(invoice: Invoice, employer: Employer) -> None:
    """Both parties and the VAT scheme as they are now: on a draft's creation, and again when it is
    issued, so the final invoice names the buyer (and seller) as on the invoice date."""
    day = vat_day(invoice.lines, invoice.period_end)
    reverse = reverse_charged(employer, day)
    invoice.parties = {"seller": seller_party(), "buyer": buyer_party(employer, day)}
    invoice.vat_scheme = "reverse_charge" if reverse else "standard"
    invoice.vat_percent = Decimal(0) if reverse else STANDARD_VAT
    for line in invoice.lines:
        line.vat_category = "AE" if reverse else "S"


# ---- reading ----

def _visible(who: Principal, invoice: Invoice | None) -> bool:
    return invoice is not None and who.may_see_employer(invoice.employer_id)


def get_invoice(session: Session, who: Principal, invoice_id: int, for_update: bool = False) -> Invoice:
    """Intermediary: any; employer: own (others 404); workers 403."""
    who.require("intermediary", "employer")
    invoice = session.get(Invoice, invoice_id, with_for_update=for_update)
    if not _visible(who, invoice):
        raise NotFound(f"invoice {invoice_id} does not exist")
    return invoice


def list_invoices(session: Session, who: Principal, employer_id: int | None = None,
                  status: str | None = None) -> list[Invoice]:
    who.require("intermediary", "employer")
    query = select(Invoice).order_by(Invoice.created_at, Invoice.id)
    if who.role == "employer":
        query = query.where(Invoice.employer_id == who.employer_id)
    if employer_id is not None:
        query = query.where(Invoice.employer_id == employer_id)
    if status:
        query = query.where(Invoice.status == status)
    return list(session.scalars(query))


# ---- drafts ----

def _billed_assignment_ids(session: Session, other_than: int | None = None) -> set[int]:
    """Assignments on a final (not credited) invoice other than invoice `other_than`: those hours are billed."""
    query = (select(InvoiceLine.assignment_id).join(Invoice)
             .where(Invoice.kind == "invoice", Invoice.status == "final", InvoiceLine.assignment_id.is_not(None)))
    if other_than is not None:
        query = query.where(Invoice.id != other_than)
    return set(session.scalars(query))


def create_invoice(session: Session, who: Principal, data: dict) -> Invoice:
    """A draft for one employer and period: every approved timesheet not yet on a final invoice.

    A timesheet whose pay is not final yet (an earlier shift of the worker in that week has no
    approved hours; see services/timesheets.py) is left off and named in the draft's note; when
    nothing else is billable → 409 naming the waiting hours.
    """
    who.require("intermediary")
    start, end = data["period_start"], data["period_end"]
    if end < start:
        raise InvalidInput({"period_end": ["must not be before period_start"]})
    employer = session.get(Employer, data["employer_id"])
    if employer is None:
        raise InvalidInput({"employer_id": [f"employer {data['employer_id']} does not exist"]})
    lines, waiting, missed = _lines(session, employer, start, end)
    if problems := _buyer_problems(employer, vat_day(lines, end)):
        raise InvalidInput({"employer_id": problems})
    if changed := vat_change(employer, lines):
        raise InvalidInput({"period_end": [_vat_change_text(changed)]})
    invoice = Invoice(kind="invoice", status="draft", employer_id=employer.id, period_start=start, period_end=end,
                      buyer_reference=data.get("buyer_reference"), note=data.get("note"), created_by=who.user_id)
    invoice.lines = lines
    _set_buyer(invoice, employer)
    if not invoice.lines and waiting:
        raise Conflict("no hours can be billed yet: " + "; ".join(
            f"the hours of assignment {w['assignment_id']} ({w['worker_name']}, {w['date']}) wait for earlier "
            f"shifts that week without approved hours (assignment(s) {', '.join(map(str, w['waiting_on']))}); "
            "approve or cancel those first, they fix the week's overtime" for w in waiting), ["hours_waiting"])
    if not invoice.lines:
        raise InvalidInput({"period_start": [f"no approved, unbilled hours for employer {employer.id} "
                                             f"from {start} to {end}"]})
    invoice.review = {"waiting": waiting, "changed": [], "warnings": [],    # for the answer; the note is the buyer's
                      "not_worked": missed}
    _set_totals(invoice)
    session.add(invoice)
    session.flush()
    audit.record(session, who, "create", "invoice", invoice.id,
                 {"employer_id": employer.id, "period": [start, end], "total": invoice.total})
    return invoice


def _lines(session: Session, employer: Employer, start: date, end: date
           ) -> tuple[list[InvoiceLine], list[dict], list[dict]]:
    """The lines of approved, unbilled hours whose pay is final, the hours that wait (their pay
    still depends on earlier hours of that week; see services/timesheets.py), and the billed hours
    whose overtime counts earlier shifts of the week as not worked (no hours registered)."""
    billed = _billed_assignment_ids(session)
    return _priced(session, employer, [row for row in approved_in_period(session, start, end, employer.id)
                                       if row.Assignment.id not in billed])


def _priced(session: Session, employer: Employer, rows) -> tuple[list[InvoiceLine], list[dict], list[dict]]:
    """Invoice lines for these approved hours ((Timesheet, Assignment, Shift, Worker, Employer) rows)
    under the CAO version in force on each work date and the employer's tariff factor, the hours
    whose pay is not final yet, and the priced ones whose week counts a shift without any hours as
    not worked (`not_worked` names those shifts: if one was worked after all, its hours belong in
    before finalising)."""
    factor = Decimal(employer.tariff_factor)
    lines, waiting, missed = [], [], []
    earlier = EarlierCalls.for_rows(session, rows, employer.id)
    for sheet, assignment, shift, worker, _ in rows:
        pay = timesheet_pay(session, sheet, assignment, shift, worker, employer, earlier)
        day = sheet.start.astimezone(AMS).date()
        if pay.waiting_on:
            waiting.append({"assignment_id": assignment.id, "worker_name": worker.name, "date": day,
                            "waiting_on": pay.waiting_on})
            continue
        if pay.not_worked:
            missed.append({"assignment_id": assignment.id, "worker_name": worker.name, "date": day,
                           "not_worked": pay.not_worked})
        for pay_line in pay.result.lines:
            rate = money(pay_line.rate * factor)
            lines.append(InvoiceLine(
                position=len(lines) + 1, assignment_id=assignment.id, worker_id=worker.id, worker_name=worker.name,
                work_date=day, kind=pay_line.kind, description=f"{pay_line.description} (cao {pay.cao_code})",
                hours=pay_line.hours, rate=rate, amount=money(pay_line.hours * rate), wage_rate=pay_line.rate))
    return lines, waiting, missed


def draft_review(session: Session, who: Principal, invoice: Invoice) -> dict | None:
    """What has happened to a draft's hours since it was made, for the intermediary (None for a
    final invoice, or when the caller is not the intermediary): `waiting`, the hours of its
    period whose pay is not final yet (see create_invoice), and `changed`, its assignments whose
    hours are no longer billable as drafted (reopened, corrected, cancelled); with those it
    cannot be finalised (409 `hours_changed`), a new draft bills them as they are now.
    `warnings`: what else refuses finalising it as it stands, said before the clerk tries (see
    `_warnings`)."""
    if invoice.status != "draft" or not who.is_intermediary:
        return None
    employer = session.get(Employer, invoice.employer_id)
    billed = _billed_assignment_ids(session, invoice.id)
    rows = [row for row in approved_in_period(session, invoice.period_start, invoice.period_end, employer.id)
            if row.Assignment.id not in billed]
    warnings = _warnings(employer, invoice)
    try:
        _, waiting, missed = _priced(session, employer, rows)
    except Conflict as exc:
        return {"waiting": [], "changed": [], "warnings": warnings, "not_worked": [], "problem": str(exc)}
    drafted = {line.assignment_id for line in invoice.lines}
    return {"waiting": waiting, "changed": sorted(_changed(invoice, rows, waiting)), "warnings": warnings,
            "not_worked": [m for m in missed if m["assignment_id"] in drafted]}


def _warnings(employer: Employer, invoice: Invoice) -> list[dict]:
    """What finalise would refuse in the employer as it is now, said on the draft: details the
    invoice needs of the buyer, gone since the draft (409 `buyer_incomplete`): code
    `buyer_incomplete`; a change of the employer's CAO since the draft that puts its hours under two
    VAT schemes (409 `vat_scheme_mixed`): code `vat_scheme_mixed`, `split_on` the day the second
    invoice starts, `first_ends_on` the day before. Each has its `message` in words; `missing` of
    the first says what is missing (`vat_number`, `address`)."""
    warnings = []
    if missing := _buyer_missing(employer, vat_day(invoice.lines, invoice.period_end)):
        warnings.append({"code": "buyer_incomplete", "missing": missing,
                         "message": f"the invoice cannot be issued to employer {employer.id} as it is now: "
                                    + "; ".join(BUYER_PROBLEMS[key] for key in missing)})
    changed = vat_change(employer, invoice.lines)
    if changed is not None:
        warnings.append({"code": "vat_scheme_mixed", "split_on": changed,
                         "first_ends_on": changed - timedelta(days=1), "message": _vat_change_text(changed)})
    return warnings


def _changed(invoice: Invoice, rows, waiting: list[dict]) -> set[int]:
    """The draft's assignments whose hours are not billable as drafted: no longer approved (or
    gone), approved again since the draft was made (reopened and corrected), or waiting."""
    drafted = {line.assignment_id for line in invoice.lines}
    approved = {row.Assignment.id for row in rows}
    corrected = {row.Assignment.id for row in rows
                 if row.Timesheet.approved_at is not None and row.Timesheet.approved_at > invoice.created_at}
    return drafted & ((drafted - approved) | corrected | {w["assignment_id"] for w in waiting})


def _set_totals(invoice: Invoice) -> None:
    invoice.subtotal = sum((line.amount for line in invoice.lines), Decimal("0.00"))
    invoice.vat = money(invoice.subtotal * invoice.vat_percent / 100)
    invoice.total = invoice.subtotal + invoice.vat


def _require_draft(invoice: Invoice) -> None:
    if invoice.status != "draft":
        raise Conflict(f"invoice {invoice.number or invoice.id} is {invoice.status}; a final invoice never changes "
                       "(correct it with a credit note)", ["invoice_final"])


def update_invoice(session: Session, who: Principal, invoice_id: int, data: dict) -> Invoice:
    """Change a draft's buyer reference or note; a final invoice → 409."""
    who.require("intermediary")
    invoice = get_invoice(session, who, invoice_id, for_update=True)
    _require_draft(invoice)
    for key in ("buyer_reference", "note"):
        if key in data:
            setattr(invoice, key, data[key])
    changes = audit.changes_of(invoice)
    session.flush()
    audit.record(session, who, "update", "invoice", invoice.id, changes)
    return invoice


def delete_invoice(session: Session, who: Principal, invoice_id: int) -> None:
    who.require("intermediary")
    invoice = get_invoice(session, who, invoice_id, for_update=True)
    _require_draft(invoice)
    session.delete(invoice)
    session.flush()
    audit.record(session, who, "delete", "invoice", invoice_id)


# ---- numbers, finalising, credit notes ----

def next_number(session: Session, year: int) -> str:
    """The next number of `year` ("2026-000001"), gap-free: the counter moves in the caller's transaction."""
    for _ in range(2):
        last = session.execute(update(InvoiceCounter).where(InvoiceCounter.year == year)
                               .values(last_number=InvoiceCounter.last_number + 1)
                               .returning(InvoiceCounter.last_number)).scalar()
        if last is not None:
            return f"{year}-{last:06d}"
        try:
            with session.begin_nested():  # first number of the year; a concurrent insert makes us retry
                session.add(InvoiceCounter(year=year, last_number=1))
            return f"{year}-{1:06d}"
        except IntegrityError:
            continue
    raise Conflict(f"could not take an invoice number for {year}; try again")


def _issue(session: Session, invoice: Invoice) -> None:
    """Date and number the document; an invoice is due in PAYMENT_DAYS, a credit note never (nothing to pay)."""
    invoice.issue_date = today_local()
    invoice.due_date = invoice.issue_date + timedelta(days=PAYMENT_DAYS) if invoice.kind == "invoice" else None
    invoice.number = next_number(session, invoice.issue_date.year)
    invoice.finalized_at = utcnow()


def finalize(session: Session, who: Principal, invoice_id: int) -> Invoice:
    """Assign the next number in this transaction; finalising again → 409; hours billed twice → 409.
    The lines are priced again as on the invoice date (`_reprice`), the parties and VAT scheme taken anew."""
    who.require("intermediary")
    invoice = get_invoice(session, who, invoice_id, for_update=True)
    _require_draft(invoice)
    # Finalisations for one employer take turns (the employer row lock on PostgreSQL, the write lock
    # of the claim below on SQLite), and the double-billing check runs after that, so it sees a
    # concurrent finalisation's hours once that commits.
    employer = session.get(Employer, invoice.employer_id, with_for_update=True, populate_existing=True)
    # Claim the draft with a conditional update: of two concurrent finalisations only one wins.
    claimed = session.execute(update(Invoice).where(Invoice.id == invoice.id, Invoice.status == "draft")
                              .values(status="final")).rowcount
    if claimed != 1:
        raise Conflict(f"invoice {invoice_id} was finalised meanwhile", ["invoice_final"])
    double = {line.assignment_id for line in invoice.lines} & _billed_assignment_ids(session, invoice.id)
    if double:
        raise _refused(session, invoice, f"assignment(s) {', '.join(map(str, sorted(double)))} are already on a "
                       "final invoice; make a new draft", ["already_billed"])
    # The invoice names the buyer as on its date (art. 35a Wet OB): the employer may have moved,
    # been renamed or changed CAO (and so VAT scheme) since the draft.
    if problems := _buyer_problems(employer, vat_day(invoice.lines, invoice.period_end)):
        raise _refused(session, invoice, f"invoice {invoice.id} cannot be issued to employer {employer.id} as it is "
                       "now: " + "; ".join(problems), ["buyer_incomplete"])
    # a change of the employer's CAO since the draft may put its hours under two VAT schemes
    if changed := vat_change(employer, invoice.lines):
        raise _refused(session, invoice, f"invoice {invoice.id} cannot be finalised: {_vat_change_text(changed)} "
                       "and make new drafts", ["vat_scheme_mixed"])
    drafted = invoice.subtotal
    _reprice(session, invoice, employer)
    _set_buyer(invoice, employer)
    session.refresh(invoice, ["status"])
    _set_totals(invoice)
    _issue(session, invoice)
    session.flush()
    repriced = {"subtotal": [drafted, invoice.subtotal]} if invoice.subtotal != drafted else {}
    audit.record(session, who, "finalize", "invoice", invoice.id, {"number": invoice.number, **repriced})
    return invoice


def _refused(session: Session, invoice: Invoice, message: str, rules: list[str]) -> Conflict:
    """Give the claim on the draft back (it stays a draft) and say why it cannot be finalised."""
    session.execute(update(Invoice).where(Invoice.id == invoice.id).values(status="draft"))
    return Conflict(message, rules)


def _reprice(session: Session, invoice: Invoice, employer: Employer) -> None:
    """Price the draft's hours again as they are billed now: under the CAO in force on each work date
    (a new CAO version, or the employer's new CAO, since the draft) and the employer's tariff factor.
    Hours that can no longer be priced → 409, and the invoice stays a draft."""
    drafted = {line.assignment_id for line in invoice.lines}
    rows = [row for row in approved_in_period(session, invoice.period_start, invoice.period_end, employer.id)
            if row.Assignment.id in drafted]
    try:
        lines, waiting, _missed = _priced(session, employer, rows)
    except Conflict as exc:
        raise _refused(session, invoice, f"invoice {invoice.id} cannot be finalised: {exc}", exc.rules) from exc
    changed = _changed(invoice, rows, waiting)
    if changed:
        names = ", ".join(sorted(map(str, changed)))
        raise _refused(session, invoice, f"invoice {invoice.id} cannot be finalised: the hours of assignment(s) "
                       f"{names} are no longer billable as drafted; make a new draft", ["hours_changed"])
    invoice.lines = lines


def credit(session: Session, who: Principal, invoice_id: int) -> Invoice:
    """A final credit note with the negated lines, numbered in the same sequence; the original becomes credited."""
    who.require("intermediary")
    original = get_invoice(session, who, invoice_id, for_update=True)
    if original.kind != "invoice" or original.status != "final":
        raise Conflict(f"only a final invoice can be credited; {original.number or original.id} is "
                       f"{'a credit note' if original.kind == 'credit_note' else original.status}", ["not_creditable"])
    claimed = session.execute(update(Invoice).where(Invoice.id == original.id, Invoice.status == "final")
                              .values(status="credited")).rowcount
    if claimed != 1:
        raise Conflict(f"invoice {original.number} was credited meanwhile", ["not_creditable"])
    session.refresh(original, ["status"])
    note = Invoice(kind="credit_note", status="final", employer_id=original.employer_id,
                   period_start=original.period_start, period_end=original.period_end, credit_of_id=original.id,
                   vat_scheme=original.vat_scheme, vat_percent=original.vat_percent,
                   buyer_reference=original.buyer_reference, note=f"Creditnota voor factuur {original.number}",
                   parties=original.parties, created_by=who.user_id)
    note.lines = [InvoiceLine(position=line.position, assignment_id=line.assignment_id, worker_id=line.worker_id,
                              worker_name=line.worker_name, work_date=line.work_date, kind=line.kind,
                              description=line.description, hours=-line.hours, rate=line.rate, amount=-line.amount,
                              wage_rate=line.wage_rate, vat_category=line.vat_category)
                  for line in original.lines]
    note.subtotal, note.vat, note.total = -original.subtotal, -original.vat, -original.total
    _issue(session, note)
    session.add(note)
    session.flush()
    audit.record(session, who, "credit", "invoice", original.id, {"credit_note": note.number})
    return note
