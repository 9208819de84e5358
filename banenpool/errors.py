"""Domain errors; the web layer maps them to HTTP status codes (422, 409, 404, 403, 429)."""
from __future__ import annotations


class DomainError(Exception):
    status = 400


class InvalidInput(DomainError):
    """Bad input that only the domain can detect; `errors` maps field → reasons (422).

    `location` is where the fields were sent, as flask-smorest names it: "json" (the body, the
    default) or "query" (query parameters such as `from` and `to`); the API files the reasons
    under it: `{"errors": {"query": {"to": [...]}}}`.
    """

    status = 422
    LOCATIONS = ("json", "query")

    def __init__(self, errors: dict[str, list[str] | dict], location: str = "json"):
        if location not in self.LOCATIONS:
            raise ValueError(f"location must be one of {', '.join(self.LOCATIONS)}, not {location!r}")
        super().__init__("; ".join(f"{k}: {_reasons(v)}" for k, v in errors.items()))
        self.errors = errors
        self.location = location


def _reasons(value) -> str:
    """Reasons as a person reads them: `a; b`, nested fields as `field.sub: reason`."""
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_reasons(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(_reasons(v) for v in value)
    return str(value)


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """The request conflicts with the current state (409), e.g. a rule a manual change breaks."""

    status = 409

    def __init__(self, message: str, rules: list[str] | None = None):
        super().__init__(message)
        self.rules = rules or []


class TooManyAttempts(DomainError):
    """Too many failed log-ins for one address from one client in a short time (429); `retry_after`
    is the number of seconds until the next attempt is heard."""

    status = 429

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        self.minutes = (retry_after + 59) // 60        # rounded up: what a person is told to wait
        super().__init__(f"too many failed log-ins for this address; try again in {self.minutes} min")


class Unavailable(DomainError):
    """A part the request needs is not installed on this server (503)."""

    status = 503
