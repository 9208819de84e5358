"""Offers of fixed hours to on-call workers after 12 months (art. 7:628a lid 5 BW)."""

from banenpool.calendar_nl import today_local
from banenpool.services import fixed_hours
from web.api.blueprint import Blueprint
from web.api.fixed_hours.schemas import OfferQueryArgsSchema, OfferSchema, RecordOfferSchema
from web.api.workers.schemas import ContractSchema
from web.auth import principal
from web.database import session

blp = Blueprint("fixed_hours", __name__, url_prefix="", description="Fixed-hours offers to on-call workers")


@blp.get("/fixed-hours-offers")
@blp.arguments(OfferQueryArgsSchema, location="query")
@blp.response(200, OfferSchema(many=True))
def offers(args):
    """On-call and min-max contracts of 12 months or more whose 12-month average is above the hours they
    guarantee: the offer of fixed hours due (within a month of the anniversary), overdue, or offered
    (intermediary)"""
    return fixed_hours.fixed_hours_offers(session(), principal(), args["on"] or _today())


@blp.post("/workers/<int:worker_id>/contracts/<int:contract_id>/fixed-hours-offer")
@blp.arguments(RecordOfferSchema)
@blp.response(200, ContractSchema)
def record(data, worker_id, contract_id):
    """Record the offer of fixed hours made to the worker (intermediary); 409 `not_on_call` for a
    contract with fixed hours"""
    contract = fixed_hours.record_offer(session(), principal(), worker_id, contract_id, data["hours"],
                                        data["offered_on"], _today())
    session().commit()
    return contract


def _today():
    return today_local()
