"""The CAO catalogue and CAO comparison."""
from datetime import date

from flask_smorest import Blueprint

from banenpool.services import caos
from web.api.caos.schemas import CaoDiffSchema, CaoQueryArgsSchema, DiffQueryArgsSchema
from web.auth import principal

blp = Blueprint("caos", __name__, url_prefix="/caos", description="CAO catalogue (data with sources)")


@blp.get("")
@blp.arguments(CaoQueryArgsSchema, location="query")
@blp.response(200)
def list_caos(args):
    """All CAOs in the catalogue, the version valid on `on`"""
    principal()
    return [caos.get_cao(code, args["on"]).to_dict() for code in caos.catalogue().codes()]


@blp.get("/<code>")
@blp.arguments(CaoQueryArgsSchema, location="query")
@blp.response(200)
def get_cao(args, code):
    """One CAO: scales, surcharges, overtime, limits — every number with its source or marked example"""
    principal()
    return caos.get_cao(code, args["on"]).to_dict()


@blp.get("/<a>/diff/<b>")
@blp.arguments(DiffQueryArgsSchema, location="query")
@blp.response(200, CaoDiffSchema)
def diff(args, a, b):
    """Differences between two CAOs, topic by topic"""
    principal()
    return {"differences": caos.diff(a, b, args["on"] or date.today(), args["lang"])}
