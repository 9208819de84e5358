"""What one shift pays under a CAO."""

from banenpool.services import caos
from web.api.blueprint import Blueprint
from web.api.pay.schemas import PayPreviewSchema, PayResultSchema
from web.auth import principal

blp = Blueprint("pay", __name__, url_prefix="/pay", description="Pay calculation")


@blp.post("/preview")
@blp.arguments(PayPreviewSchema)
@blp.response(200, PayResultSchema)
def preview(data):
    """Pay for one shift: base, surcharges, overtime, minimum paid hours — never below the WML"""
    principal()
    return caos.pay_preview(data)
