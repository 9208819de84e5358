"""Capacity requests: seasonal demand as a weekly pattern over a date range."""
from flask.views import MethodView

from banenpool.services import capacity
from web.api.blueprint import Blueprint
from web.api.capacity_requests.schemas import CapacityRequestSchema
from web.api.paging import paged
from web.auth import principal
from web.database import session

blp = Blueprint("capacity_requests", __name__, url_prefix="/capacity-requests",
                description="Seasonal capacity requests and the shifts they expand into")


@blp.route("")
class CapacityRequestViews(MethodView):
    @blp.response(200, CapacityRequestSchema(many=True))
    @paged(blp)
    def get(self):
        """List capacity requests (an employer sees its own)"""
        return capacity.list_requests(session(), principal())

    @blp.arguments(CapacityRequestSchema)
    @blp.response(201, CapacityRequestSchema)
    def post(self, data):
        """Request capacity; the pattern becomes concrete shifts"""
        request = capacity.create_request(session(), principal(), data)
        session().commit()
        return request


@blp.route("/<int:request_id>")
class CapacityRequestByIdViews(MethodView):
    @blp.response(200, CapacityRequestSchema)
    def get(self, request_id):
        """Read a capacity request"""
        return capacity.get_request(session(), principal(), request_id)

    @blp.response(204)
    def delete(self, request_id):
        """Withdraw a capacity request and its shifts"""
        capacity.delete_request(session(), principal(), request_id)
        session().commit()
