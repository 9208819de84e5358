"""Employers."""
from flask.views import MethodView

from banenpool.services import registry
from web.api.blueprint import Blueprint
from web.api.employers.schemas import EmployerPatchSchema, EmployerSchema
from web.api.paging import paged
from web.auth import principal
from web.database import session

blp = Blueprint("employers", __name__, url_prefix="/employers", description="Employers in the pool")


@blp.route("")
class EmployerViews(MethodView):
    @blp.response(200, EmployerSchema(many=True))
    @paged(blp)
    def get(self):
        """List employers (an employer sees only itself)"""
        return registry.list_employers(session(), principal())

    @blp.arguments(EmployerSchema)
    @blp.response(201, EmployerSchema)
    def post(self, data):
        """Register an employer (intermediary)"""
        employer = registry.create_employer(session(), principal(), data)
        session().commit()
        return employer


@blp.route("/<int:employer_id>")
class EmployerByIdViews(MethodView):
    @blp.response(200, EmployerSchema)
    def get(self, employer_id):
        """Read an employer"""
        return registry.get_employer(session(), principal(), employer_id)

    @blp.arguments(EmployerPatchSchema(partial=True))
    @blp.response(200, EmployerSchema)
    def patch(self, data, employer_id):
        """Change an employer (intermediary)"""
        employer = registry.update_employer(session(), principal(), employer_id, data)
        session().commit()
        return employer
