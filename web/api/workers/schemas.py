from datetime import date

from marshmallow import Schema, ValidationError, fields, post_dump, post_load, validate, validates_schema

from banenpool.services.registry import MAX_ABSENCES, MAX_SCHOOL_HOLIDAYS
from web.api.assignments.schemas import AssignmentSchema
from web.api.fields import (AwareDateTime, ClockTime, Date, DecimalString, Id, Integer, LocationSchema, Name, Postcode,
                            Whole, hours, money, one_line, skill_list)


def _plausible_birth_date(born: date) -> None:
    today = date.today()
    if born > today.replace(year=today.year - 15):
        raise ValidationError("a pool worker is at least 15 years old")
    if born < date(today.year - 100, 1, 1):
        raise ValidationError("must be within the last 100 years")


class WorkerSchema(Schema):
    id = Integer(dump_only=True)
    name = Name(required=True, validate=one_line())
    email = fields.Email(allow_none=True, validate=validate.Length(max=254))
    phone = fields.String(allow_none=True, validate=validate.Regexp(
        r"^\+?[0-9 ()-]{6,20}\Z", error="a phone number has 6 to 20 digits, spaces or dashes"))
    birth_date = Date(required=True, validate=lambda born: _plausible_birth_date(born))
    postcode = Postcode(allow_none=True)
    location = Whole(LocationSchema, allow_none=True)
    skills = skill_list()
    min_hours_per_week = hours()
    target_hours_per_week = hours()
    max_hours_per_week = hours()
    max_travel_km = fields.Float(allow_none=True, validate=validate.Range(0, 300))
    left_on = Date(allow_none=True, metadata={
        "description": "the last day the worker belongs to the pool (uit dienst per); null: they do. Setting "
                       "it ends their contracts that run past it on that day (their ids in ended_contracts); "
                       "409 assignments_after_leaving (confirmed shifts after it; assignment_ids), "
                       "hours_after_leaving (approved hours after it), contracts_after_leaving (a contract "
                       "starting after it); 422 before the start of their first contract. Null again does "
                       "not reopen ended contracts"})
    ended_contracts = fields.List(Integer(), dump_only=True, metadata={
        "description": "in the answer to a PATCH with left_on: the contracts it ended on that day"})

    @validates_schema(skip_on_field_errors=False)
    def check(self, data, partial=None, **kwargs):
        lo, target, hi = (data.get(k) for k in ("min_hours_per_week", "target_hours_per_week", "max_hours_per_week"))
        if None not in (lo, target) and lo > target:
            raise ValidationError(f"must be at least min_hours_per_week ({lo})", "target_hours_per_week")
        if None not in (target, hi) and target > hi:
            raise ValidationError(f"must be at least target_hours_per_week ({target})", "max_hours_per_week")
        if None not in (lo, hi) and lo > hi:
            raise ValidationError(f"must be at least min_hours_per_week ({lo})", "max_hours_per_week")

    @post_dump(pass_original=True)
    def nest(self, data, obj, **kwargs):
        data["location"] = {"lat": obj.lat, "lon": obj.lon} if getattr(obj, "lat", None) is not None else None
        return data


class BasePatternLineSchema(Schema):
    """One weekly base shift of a contract; checked like a capacity request's pattern line."""

    weekday = Integer(required=True, validate=validate.Range(0, 6),
                             metadata={"description": "0 = Monday … 6 = Sunday"})
    start = ClockTime(required=True, metadata={"description": "local time HH:MM"})
    end = ClockTime(required=True, metadata={"description": "local time HH:MM; at or before start = next day"})
    break_minutes = Integer(load_default=0, validate=validate.Range(0, 240))

    @validates_schema
    def check(self, data, **kwargs):
        from banenpool.services.capacity import _pattern_item_errors
        for field, messages in _pattern_item_errors(data).items():
            raise ValidationError(messages, field)

    @post_load
    def as_json(self, data, **kwargs):
        from banenpool.services.capacity import _pattern_json
        return _pattern_json(data)  # stored in a JSON column: "HH:MM" text


def _overlapping_base_lines(pattern: list[dict]) -> list[str]:
    """Lines of one pattern whose shifts overlap (a worker cannot be in two base shifts at once)."""
    from datetime import date as day
    from banenpool.services.capacity import expand
    week = sorted((occ["start"], occ["end"], i) for i, line in enumerate(pattern)
                  for occ in expand([{**line, "headcount": 1}], day(2001, 1, 1), day(2001, 1, 14)))
    clashes = set()
    for (s1, e1, i), (s2, e2, j) in zip(week, week[1:]):
        if s2 < e1 and i != j:
            clashes.add((min(i, j), max(i, j)))
    return [f"lines {i} and {j} overlap" for i, j in sorted(clashes)]


def _chain(contract):
    position = getattr(contract, "chain", None)
    if position is None:
        return None
    return {"number": position.number, "chain_start": position.chain_start.isoformat(),
            "indefinite_from": position.indefinite_from.isoformat() if position.indefinite_from else None,
            "reason": position.reason}


class ContractSchema(Schema):
    id = Integer(dump_only=True)
    worker_id = Integer(dump_only=True)
    employer_id = Id(allow_none=True, load_default=None,
                                 metadata={"description": "null = the intermediary itself"})
    kind = fields.String(required=True, validate=validate.OneOf(["fixed", "min_max", "on_call"]))
    hours_per_week = hours(required=True)
    cao_code = fields.String(required=True)
    scale = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=40))
    hourly_wage = money(allow_none=True, load_default=None,
                        metadata={"description": "default: the CAO scale's wage"})
    start_date = Date(required=True)
    end_date = Date(allow_none=True, load_default=None)
    chain = fields.Function(_chain, dump_only=True, metadata={
        "type": "object", "nullable": True,
        "description": "its place under the chain rule (art. 7:668a BW: at most 3 fixed-term contracts in 36 "
                       "months with one employer; a gap of over 6 months starts anew): {number, chain_start, "
                       "indefinite_from (the day the law made it a contract for an indefinite period, or null), "
                       "reason (count or duration)}; null for a contract made open-ended (also when ended "
                       "later), and under an agency CAO (ABU/NBBU), whose phases apply instead and are not "
                       "checked"})
    fixed_term = fields.Boolean(dump_only=True, metadata={
        "description": "made with an end date; a permanent contract ended later is not"})
    fixed_hours_offered_on = Date(dump_only=True, allow_none=True, metadata={
        "description": "when the pool last offered this on-call worker fixed hours (POST .../fixed-hours-offer)"})
    fixed_hours_offered = DecimalString(dump_only=True, allow_none=True)
    base_pattern = fields.List(
        fields.Nested(BasePatternLineSchema), allow_none=True, load_default=None,
        validate=validate.Length(max=21),
        metadata={"description": "base hours as fixed weekly shifts at the employer (needs employer_id): "
                                 "[{weekday, start, end, break_minutes}]; the planner keeps them"})

    @validates_schema(skip_on_field_errors=False)
    def check_dates(self, data, **kwargs):
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            raise ValidationError(f"must not be before start_date ({data['start_date']})", "end_date")

    @validates_schema
    def check_fixed_hours(self, data, **kwargs):
        """Fixed hours of 0 a week are an on-call contract: under `fixed` the worker could not refuse a
        late call and would never be owed an offer of fixed hours (art. 7:628a BW)."""
        if data.get("kind") == "fixed" and data.get("hours_per_week") == 0:
            raise ValidationError("a contract with fixed hours has more than 0 hours per week; "
                                  "0 hours is an on-call contract", "hours_per_week")

    @validates_schema
    def check_base_pattern(self, data, **kwargs):
        pattern = data.get("base_pattern")
        if pattern:
            if data.get("employer_id") is None:
                raise ValidationError("base hours need an employer: a contract with the intermediary has no "
                                      "site to work them at", "base_pattern")
            if clashes := _overlapping_base_lines(pattern):
                raise ValidationError(clashes, "base_pattern")


class ContractEndSchema(Schema):
    end_date = Date(required=True, allow_none=True,
                    metadata={"description": "the contract's last day; null: open-ended"})


class WeeklySchema(Schema):
    weekday = Integer(required=True, validate=validate.Range(0, 6),
                             metadata={"description": "0 = Monday … 6 = Sunday"})
    start = ClockTime(required=True)
    end = ClockTime(required=True, metadata={"description": "at or before start: runs past midnight"})

    @validates_schema
    def check(self, data, **kwargs):
        if data["start"] == data["end"]:
            raise ValidationError("must differ from start", "end")


class AbsenceSchema(Schema):
    id = Integer(dump_only=True, metadata={"description": "kept while the absence is unchanged (a PUT sending it "
                                                          "as it is keeps it); DELETE .../absences/{id}"})
    start = AwareDateTime(required=True)
    end = AwareDateTime(required=True)
    reason = fields.String(load_default="leave", validate=validate.OneOf(["leave", "sick", "other"]))

    @validates_schema
    def check(self, data, **kwargs):
        if data["end"] <= data["start"]:
            raise ValidationError("must be after start", "end")


MAX_WEEKLY = 50  # seven days of several windows each; a real week has a handful


class AvailabilitySchema(Schema):
    weekly = fields.List(
        fields.Nested(WeeklySchema), required=True,
        validate=validate.Length(max=MAX_WEEKLY, error=f"at most {MAX_WEEKLY} weekly windows"),
        metadata={"description": f"the weekly windows the worker is available, at most {MAX_WEEKLY}"})
    absences = fields.List(
        fields.Nested(AbsenceSchema), load_default=list,
        validate=validate.Length(max=MAX_ABSENCES, error=f"at most {MAX_ABSENCES} absences"),
        metadata={"description": f"leave, sickness and other absences, at most {MAX_ABSENCES}"})
    absent_calls = fields.List(Integer(), dump_only=True, metadata={
        "description": "confirmed assignments on shifts that have not begun and overlap an absence: the "
                       "worker cannot come; POST /workers/{id}/absences/release opens them for others"})


class SchoolHolidaySchema(Schema):
    id = Integer(dump_only=True, metadata={"description": "kept while the holiday is unchanged; DELETE "
                                                          ".../school-holidays/{id}"})
    first_day = Date(required=True, metadata={"description": "the holiday's first day (Amsterdam)"})
    last_day = Date(required=True, metadata={"description": "its last day, included; not before first_day"})

    @validates_schema
    def check(self, data, **kwargs):
        if {"first_day", "last_day"} <= data.keys() and data["last_day"] < data["first_day"]:
            raise ValidationError("must not be before first_day", "last_day")


class SchoolHolidaysSchema(Schema):
    school_holidays = fields.List(
        fields.Nested(SchoolHolidaySchema), required=True,
        validate=validate.Length(max=MAX_SCHOOL_HOLIDAYS, error=f"at most {MAX_SCHOOL_HOLIDAYS} school holidays"),
        metadata={"description": "the worker's school holidays (their school's region), at most "
                                 f"{MAX_SCHOOL_HOLIDAYS}, none overlapping. At 15 the weekdays outside them "
                                 "that are no public holiday are school days: 2 h a day, 12 h a week, "
                                 "07:00-19:00; in them 8 h a day, 40 h a week, until 21:00"})


class ReleasedSchema(AssignmentSchema):
    offered_to = fields.Function(lambda a: getattr(a, "offered_to", []), metadata={
        "description": "the workers told that its shift is open: those with its skills who can take it "
                       "without breaking a rule (as the shift's candidate list judges them)"})


class ReleaseSchema(Schema):
    start = AwareDateTime(required=True)
    end = AwareDateTime(required=True)

    @validates_schema
    def check(self, data, **kwargs):
        if {"start", "end"} <= data.keys() and data["end"] <= data["start"]:
            raise ValidationError("must be after start", "end")


class WorkerPatchSchema(WorkerSchema):
    """Every field optional: PATCH changes only what it names."""


class WorkerQueryArgsSchema(Schema):
    status = fields.String(load_default="all", validate=validate.OneOf(["current", "left", "all"]), metadata={
        "description": "current: workers who belong to the pool today (left_on null or today or later); "
                       "left: those who left before today; all (default)"})


class ChecksQueryArgsSchema(Schema):
    from_ = Date(data_key="from", load_default=None)
    to = Date(load_default=None)
    lang = fields.String(load_default="nl", validate=validate.OneOf(["nl", "en"]))


class ViolationSchema(Schema):
    rule = fields.String()
    message = fields.String()
    assignment_ids = fields.List(Integer())


class ChecksSchema(Schema):
    violations = fields.List(fields.Nested(ViolationSchema))
    cao_notes = fields.List(fields.String())


class CaoMoveQueryArgsSchema(Schema):
    employer_id = Id(required=True)
    on = Date(load_default=None)
    lang = fields.String(load_default="nl", validate=validate.OneOf(["nl", "en"]))


class CaoMoveSchema(Schema):
    from_cao = fields.String()
    to_cao = fields.String()
    changes = fields.List(fields.String())
