"""Calendar subscriptions: the secret feed URL of a worker or employer, its rotation, and the feed."""
from flask import Blueprint as FlaskBlueprint
from flask import Response, request, url_for

from banenpool.errors import NotFound
from banenpool.services import calendar
from web.api.blueprint import Blueprint
from web.api.calendar.schemas import CalendarUrlSchema
from web.auth import principal
from web.database import session

blp = Blueprint("calendar", __name__, description="Calendar subscriptions (iCalendar feeds)")
feeds = FlaskBlueprint("calendar_feeds", __name__)


def _urls(token: str) -> dict:
    url = url_for("calendar_feeds.feed", token=token, _external=True)
    return {"url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


@blp.get("/workers/<int:worker_id>/calendar")
@blp.response(200, CalendarUrlSchema)
def worker_calendar(worker_id):
    """The worker's private calendar URL (intermediary, worker: own); made on first use"""
    token = calendar.worker_token(session(), principal(), worker_id)
    session().commit()
    return _urls(token)


@blp.post("/workers/<int:worker_id>/calendar/rotate")
@blp.response(200, CalendarUrlSchema)
def rotate_worker_calendar(worker_id):
    """A new calendar URL for the worker; the old one answers 404 from now on"""
    token = calendar.rotate_worker_token(session(), principal(), worker_id)
    session().commit()
    return _urls(token)


@blp.get("/employers/<int:employer_id>/calendar")
@blp.response(200, CalendarUrlSchema)
def employer_calendar(employer_id):
    """The employer's private calendar URL of its staffed shifts (intermediary, employer: own)"""
    token = calendar.employer_token(session(), principal(), employer_id)
    session().commit()
    return _urls(token)


@blp.post("/employers/<int:employer_id>/calendar/rotate")
@blp.response(200, CalendarUrlSchema)
def rotate_employer_calendar(employer_id):
    """A new calendar URL for the employer; the old one answers 404 from now on"""
    token = calendar.rotate_employer_token(session(), principal(), employer_id)
    session().commit()
    return _urls(token)


@feeds.get("/cal/<token>.ics")
def feed(token):
    """The iCalendar feed behind a token; the token is the only credential."""
    try:
        found = calendar.feed_for_token(session(), token)
    except NotFound:
        return Response("unknown calendar\n", 404, mimetype="text/plain")
    headers = {"ETag": f'"{found.etag}"', "Cache-Control": "private, max-age=0, must-revalidate",
               "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}
    if request.if_none_match.contains_weak(found.etag):
        return Response(status=304, headers=headers)
    response = Response(found.body, 200, headers=headers, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="banenpool.ics"'
    if found.last_modified is not None:
        response.last_modified = found.last_modified
    return response
