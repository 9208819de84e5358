"""Pool workers, their contracts, availability and compliance checks."""
from datetime import date

from flask.views import MethodView

from banenpool.services import assignments, registry
from banenpool.services.checks import cao_move, worker_checks
from web.api.blueprint import Blueprint
from web.api.paging import paged
from web.api.workers.schemas import (AbsenceSchema, AvailabilitySchema, CaoMoveQueryArgsSchema, CaoMoveSchema,
                                     ChecksQueryArgsSchema, ChecksSchema, ContractEndSchema, ContractSchema,
                                     ReleasedSchema, ReleaseSchema, SchoolHolidaySchema, SchoolHolidaysSchema,
                                     WorkerPatchSchema, WorkerQueryArgsSchema, WorkerSchema)
from web.auth import principal
from web.database import session

blp = Blueprint("workers", __name__, url_prefix="/workers", description="Pool workers")


@blp.route("")
class WorkerViews(MethodView):
    @blp.arguments(WorkerQueryArgsSchema, location="query")
    @blp.response(200, WorkerSchema(many=True))
    @paged(blp)
    def get(self, args):
        """List pool workers (a worker sees only themself); `status` current or left narrows it"""
        return registry.list_workers(session(), principal(), args["status"])

    @blp.arguments(WorkerSchema)
    @blp.response(201, WorkerSchema)
    def post(self, data):
        """Register a pool worker (intermediary)"""
        worker = registry.create_worker(session(), principal(), data)
        session().commit()
        return worker


@blp.route("/<int:worker_id>")
class WorkerByIdViews(MethodView):
    @blp.response(200, WorkerSchema)
    def get(self, worker_id):
        """Read a pool worker"""
        return registry.get_worker(session(), principal(), worker_id)

    @blp.arguments(WorkerPatchSchema(partial=True))
    @blp.response(200, WorkerSchema)
    def patch(self, data, worker_id):
        """Change a pool worker (intermediary)"""
        worker = registry.update_worker(session(), principal(), worker_id, data)
        session().commit()
        return worker


@blp.route("/<int:worker_id>/contracts")
class ContractViews(MethodView):
    @blp.response(200, ContractSchema(many=True))
    @paged(blp)
    def get(self, worker_id):
        """List a worker's contracts (intermediary)"""
        return registry.list_contracts(session(), principal(), worker_id)

    @blp.arguments(ContractSchema)
    @blp.response(201, ContractSchema)
    def post(self, data, worker_id):
        """Add a contract with an employer or the intermediary (intermediary); 422 on start_date or
        end_date when it would run past the worker's last day in the pool (left_on)"""
        contract = registry.add_contract(session(), principal(), worker_id, data)
        session().commit()
        return contract


@blp.route("/<int:worker_id>/contracts/<int:contract_id>")
class ContractByIdViews(MethodView):
    @blp.arguments(ContractEndSchema)
    @blp.response(200, ContractSchema)
    def patch(self, data, worker_id, contract_id):
        """End a contract, or move its end (intermediary); 409 `hours_after_end` when hours approved
        under it lie after the new end; 422 on end_date past the worker's last day in the pool"""
        contract = registry.end_contract(session(), principal(), worker_id, contract_id, data["end_date"])
        session().commit()
        return contract

    @blp.response(204)
    def delete(self, worker_id, contract_id):
        """Remove a contract entered by mistake (intermediary); 409 `hours_under_contract` when approved
        hours were paid under it (set its last day instead)"""
        registry.delete_contract(session(), principal(), worker_id, contract_id)
        session().commit()


@blp.route("/<int:worker_id>/availability")
class AvailabilityViews(MethodView):
    @blp.response(200, AvailabilitySchema)
    def get(self, worker_id):
        """Read the weekly availability and absences"""
        worker = registry.get_worker(session(), principal(), worker_id)
        return _availability(worker)

    @blp.arguments(AvailabilitySchema)
    @blp.response(200, AvailabilitySchema)
    def put(self, data, worker_id):
        """Replace the weekly availability and absences (intermediary, worker: own); an entry sent as it is
        stored keeps its id"""
        worker = registry.set_availability(session(), principal(), worker_id, data["weekly"], data["absences"])
        session().flush()
        out = _availability(worker)
        session().commit()
        return out


@blp.post("/<int:worker_id>/absences")
@blp.arguments(AbsenceSchema)
@blp.response(201, AbsenceSchema)
def add_absence(data, worker_id):
    """Add one absence, the others unchanged (intermediary, worker: own)"""
    absence = registry.add_absence(session(), principal(), worker_id, data)
    session().commit()
    return absence


@blp.delete("/<int:worker_id>/absences/<int:absence_id>")
@blp.response(204)
def delete_absence(worker_id, absence_id):
    """Remove one absence, the others keep their ids (intermediary, worker: own); 404 when it is gone"""
    registry.delete_absence(session(), principal(), worker_id, absence_id)
    session().commit()


def _availability(worker) -> dict:
    calls = assignments.absent_calls(session(), worker)
    return {"weekly": worker.weekly, "absences": worker.absences, "absent_calls": [a.id for a in calls]}


@blp.route("/<int:worker_id>/school-holidays")
class SchoolHolidayViews(MethodView):
    @blp.response(200, SchoolHolidaysSchema)
    def get(self, worker_id):
        """Read the worker's school holidays (intermediary, worker: own)"""
        return {"school_holidays": registry.get_worker(session(), principal(), worker_id).school_holidays}

    @blp.arguments(SchoolHolidaysSchema)
    @blp.response(200, SchoolHolidaysSchema)
    def put(self, data, worker_id):
        """Replace the worker's school holidays (intermediary): at 15 they decide which days are school
        days (2 h) and which allow 8 h of work"""
        worker = registry.set_school_holidays(session(), principal(), worker_id, data["school_holidays"])
        session().commit()
        return {"school_holidays": worker.school_holidays}

    @blp.arguments(SchoolHolidaySchema)
    @blp.response(201, SchoolHolidaySchema)
    def post(self, data, worker_id):
        """Add one school holiday, the others unchanged (intermediary); 422 when it overlaps one"""
        holiday = registry.add_school_holiday(session(), principal(), worker_id, data)
        session().commit()
        return holiday


@blp.delete("/<int:worker_id>/school-holidays/<int:holiday_id>")
@blp.response(204)
def delete_school_holiday(worker_id, holiday_id):
    """Remove one school holiday, the others keep their ids (intermediary); 404 when it is gone"""
    registry.delete_school_holiday(session(), principal(), worker_id, holiday_id)
    session().commit()


@blp.post("/<int:worker_id>/absences/release")
@blp.arguments(ReleaseSchema)
@blp.response(200, ReleasedSchema(many=True))
def release_absent(data, worker_id):
    """Cancel the worker's confirmed shifts in [start, end) that overlap a registered absence and have
    not begun, so others can take them (intermediary); no wages are owed, the worker is told. Each shift
    is offered to the workers who can take it without breaking a rule (`offered_to`, told by message)"""
    released = assignments.release_absent(session(), principal(), worker_id, data["start"], data["end"])
    session().commit()
    return released


@blp.get("/<int:worker_id>/checks")
@blp.arguments(ChecksQueryArgsSchema, location="query")
@blp.response(200, ChecksSchema)
def checks(args, worker_id):
    """Working Hours Act, minimum wage, CAO and on-call checks of the combined schedule (all employers)"""
    return worker_checks(session(), principal(), worker_id, args["from_"], args["to"], args["lang"])


@blp.get("/<int:worker_id>/cao-move")
@blp.arguments(CaoMoveQueryArgsSchema, location="query")
@blp.response(200, CaoMoveSchema)
def cao_move_view(args, worker_id):
    """What working for another employer (its CAO) changes for this worker's pay and limits"""
    return cao_move(session(), principal(), worker_id, args["employer_id"], args["on"] or date.today(), args["lang"])
