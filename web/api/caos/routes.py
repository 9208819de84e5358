"""The CAO catalogue and CAO comparison."""
from datetime import date

from banenpool.services import caos
from web.api.blueprint import Blueprint
from web.api.caos.schemas import CaoDiffSchema, CaoQueryArgsSchema, DiffQueryArgsSchema
from web.auth import principal

blp = Blueprint("caos", __name__, url_prefix="/caos", description="CAO catalogue (data with sources)")


@blp.get("")
@blp.arguments(CaoQueryArgsSchema, location="query")
@blp.response(200)
def list_caos(args):
    """The CAOs in force on `on` (default: today), each as its version valid that day

    A CAO whose first version starts after `on` is left out, so a date before every version
    answers 200 with an empty list. A date outside 1900-01-01 … 2199-12-31 is 422 (errors.query.on).
    """
    principal()
    return [cao.to_dict() for cao in caos.caos_in_force(args["on"])]


@blp.get("/<code>")
@blp.arguments(CaoQueryArgsSchema, location="query")
@blp.response(200)
def get_cao(args, code):
    """One CAO: scales, surcharges, overtime, limits — every number with its source or marked example

    The version valid on `on` (default: today). An unknown code is 404, and so is a known CAO with
    no version in force on `on` (the message says so and names its first version's start). A date
    outside 1900-01-01 … 2199-12-31 is 422 (errors.query.on).
    """
    principal()
    return caos.get_cao(code, args["on"]).to_dict()


@blp.get("/<a>/diff/<b>")
@blp.arguments(DiffQueryArgsSchema, location="query")
@blp.response(200, CaoDiffSchema)
def diff(args, a, b):
    """Differences between two CAOs, topic by topic"""
    principal()
    return {"differences": caos.diff(a, b, args["on"] or date.today(), args["lang"])}
