"""Shifts, scoped to who asks."""

from banenpool.services import assignments
from banenpool.services.shifts import list_shifts, set_headcount
from web.api.blueprint import Blueprint
from web.api.paging import paged
from banenpool.calendar_nl import AMS
from banenpool.errors import NotFound
from banenpool.models import Shift
from web.api.shifts.schemas import (
    CancelledShiftSchema, CancelShiftSchema, MovedShiftSchema, ShiftPatchSchema, ShiftQueryArgsSchema, ShiftSchema,
    StaffingSchema,
)
from web.auth import principal
from web.database import session

blp = Blueprint("shifts", __name__, url_prefix="/shifts", description="Concrete shifts")


@blp.get("")
@blp.arguments(ShiftQueryArgsSchema, location="query")
@blp.response(200, ShiftSchema(many=True))
@paged(blp)
def shifts(args):
    """List shifts between two dates (inclusive, Amsterdam days); `to` before `from` is 422; cancelled
    shifts only with `include_cancelled=true`"""
    rows = list_shifts(session(), principal(), args["from_"], args["to"], args["employer_id"],
                       args["include_cancelled"])
    return [_with_filled(shift, filled) for shift, filled in rows]


def _with_filled(shift, filled):
    shift.filled = filled
    return shift


@blp.get("/<int:shift_id>/candidates")
@blp.response(200, StaffingSchema)
def candidates(shift_id):
    """Who has the shift and who could take it, with the rules each other worker would break
    (intermediary; the same judgement as POST /assignments, nothing written)"""
    return assignments.staffing(session(), principal(), shift_id)


@blp.patch("/<int:shift_id>")
@blp.arguments(ShiftPatchSchema)
@blp.response(200, MovedShiftSchema)
def change(data, shift_id):
    """Change a shift that has not begun (employer: own; intermediary): new times (`date`, `start`, `end`,
    `break_minutes`; its confirmed workers keep it if the rules allow, and are paid the call as planned
    when it moves less than 4 days ahead) and/or how many workers it needs (`headcount`: not below the
    confirmed workers, 409 `below_assigned`); begun → 409 `shift_begun`, cancelled → 409 `shift_cancelled`"""
    principal().require("employer", "intermediary")
    kept, released = [], []
    times = {k: data[k] for k in ("date", "start", "end", "break_minutes") if k in data}
    if times:
        shift = session().get(Shift, shift_id)
        if shift is None or not principal().may_see_employer(shift.employer_id):
            raise NotFound(f"shift {shift_id} does not exist")
        local_start, local_end = shift.start.astimezone(AMS), shift.end.astimezone(AMS)
        moved = assignments.move_shift(
            session(), principal(), shift_id, times.get("date", local_start.date()),
            times.get("start", local_start.time()), times.get("end", local_end.time()),
            times.get("break_minutes", shift.break_minutes))
        kept, released = moved.kept, moved.released
    if "headcount" in data:
        set_headcount(session(), principal(), shift_id, data["headcount"])
    session().commit()
    shift = session().get(Shift, shift_id)
    filled = sum(1 for a in shift.assignments if a.status == "confirmed")
    shift = _with_filled(shift, filled)
    shift.kept, shift.released = kept, released
    return shift


@blp.post("/<int:shift_id>/cancel")
@blp.arguments(CancelShiftSchema)
@blp.response(200, CancelledShiftSchema)
def cancel(data, shift_id):
    """Call off one shift that has not begun (employer: own; intermediary): its confirmed workers are
    cancelled and told, a call less than 4 days ahead is still paid and invoiced; begun → 409
    `shift_begun`, cancelled before → 409 `shift_cancelled`"""
    done = assignments.cancel_shift(session(), principal(), shift_id, data["reason"])
    session().commit()
    shift = _with_filled(done.shift, 0)
    shift.cancelled = done.cancelled
    return shift
