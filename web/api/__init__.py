"""API blueprints, one folder per resource (routes.py + schemas.py)."""
from __future__ import annotations

from flask import Flask
from flask_smorest import Api


def register_api(app: Flask, api: Api) -> None:
    from web.api.assignments.routes import blp as assignments
    from web.api.auth.routes import blp as auth
    from web.api.capacity_requests.routes import blp as capacity_requests
    from web.api.calendar.routes import blp as calendar
    from web.api.caos.routes import blp as caos
    from web.api.employers.routes import blp as employers
    from web.api.fixed_hours.routes import blp as fixed_hours
    from web.api.invoices.routes import blp as invoices
    from web.api.open_shifts.routes import blp as open_shifts
    from web.api.pay.routes import blp as pay
    from web.api.payroll.routes import blp as payroll
    from web.api.plans.routes import blp as plans
    from web.api.shifts.routes import blp as shifts
    from web.api.timesheets.routes import blp as timesheets
    from web.api.workers.routes import blp as workers

    blueprints = (auth, employers, workers, capacity_requests, shifts, caos, pay, plans, assignments,
                  calendar, timesheets, invoices, payroll, fixed_hours, open_shifts)
    for blp in blueprints:
        api.register_blueprint(blp, url_prefix=f"/api/v1{blp.url_prefix or ''}")
    names = {blp.name for blp in blueprints}

    def authenticated() -> None:
        """The credentials before the body: without a valid bearer token every API endpoint but the
        token exchange is 401 before its arguments are read, so an anonymous caller learns nothing
        from field errors. (Each view still checks the role and the owner.)"""
        from flask import request

        from web.auth import principal
        if request.blueprint in names and request.endpoint != "auth.token":
            principal()

    app.before_request(authenticated)
