"""Marshmallow fields and nested schemas shared by several resources."""
from __future__ import annotations

import math
import re
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

from banenpool.calendar_nl import FIRST_DAY, LAST_DAY

# \Z, not $: "$" also matches before a final line break ("groen\n" would pass)
SKILL_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}\Z")
POSTCODE_RE = re.compile(r"^([1-9][0-9]{3}) ?([A-Za-z]{2})\Z")


class Postcode(fields.String):
    """A Dutch postcode, normalised to `1234 AB`."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        match = POSTCODE_RE.match(text)
        if not match or match.group(2).upper() in ("SA", "SD", "SS"):
            raise ValidationError("must be a Dutch postcode like '7511 JM'")
        return f"{match.group(1)} {match.group(2).upper()}"


class Name(fields.String):
    """A name or title (see one_line), without leading and trailing spaces; not blank."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise ValidationError("must not be blank")
        return text


class DecimalString(fields.Decimal):
    """A decimal sent and returned as a string (`"1234.50"`), never a float; OpenAPI type
    string/decimal. Input with more decimals than `places` is refused, not rounded: the
    value stored is the value sent. A whole JSON number (`16`) is accepted; a fractional
    one (`1.85`) is not, as a float cannot hold most decimals exactly."""

    def __init__(self, places: int = 2, **kwargs):
        super().__init__(places=places, as_string=True, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and not math.isfinite(value):    # NaN, or a number like 1e400
            raise ValidationError(self.error_messages["special"])
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValidationError(f'send a decimal string such as "{value}", not a number')
        try:
            exponent = Decimal(str(value).strip()).normalize().as_tuple().exponent
        except (ArithmeticError, ValueError):
            exponent = 0        # not a number at all: the base class says so
        if isinstance(exponent, int) and exponent < self.places.as_tuple().exponent:
            raise ValidationError(f"at most {-self.places.as_tuple().exponent} decimals")
        return super()._deserialize(value, attr, data, **kwargs)


MAX_ID = 2**31 - 1  # PostgreSQL integer keys


class Integer(fields.Integer):
    """A whole number. A fractional one (2.5) is refused, not cut down to 2: the value stored
    is the value sent (a headcount of 2.5, a weekday of 1.9 or a shift id of 1.5 is a mistake)."""

    def _validated(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise ValidationError(f"must be a whole number, not {value}")
        return super()._validated(value)


class Id(Integer):
    """A database id: a positive 32-bit integer (anything else can never exist)."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(1, MAX_ID, error="not a valid id"), **kwargs)


def decimal_str(value: Decimal, min_places: int = 2) -> str:
    """A decimal as text with at least `min_places` decimals and no trailing zeros beyond them."""
    text = f"{value:f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0").ljust(min_places, "0")
    return f"{whole}.{frac}"


def one_line(min_length: int = 1, max_length: int = 200) -> list:
    """A name or title: `min_length`..`max_length` characters on one line (a line break in a
    name broke the calendar feeds and has no place on an invoice)."""
    return [validate.Length(min_length, max_length),
            validate.Regexp(r"^[^\r\n]*\Z", error="must be one line, without line breaks")]


def skill_list(**kwargs) -> fields.List:
    return fields.List(fields.String(validate=validate.Regexp(
        SKILL_RE, error="skills are lower-case words with digits and dashes, e.g. 'heftruck' or 'rijbewijs-b'")),
        **kwargs)


def hours(**kwargs) -> fields.Decimal:
    return DecimalString(validate=validate.Range(0, 60), **kwargs)


MAX_MONEY = Decimal("999999.99")   # the database's Numeric(8, 2) for rates and wages


def money(**kwargs) -> fields.Decimal:
    return DecimalString(validate=validate.Range(Decimal("0"), MAX_MONEY), **kwargs)


_DAY_RANGE = f"must be between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}"


class Date(fields.Date):
    """An ISO date within FIRST_DAY … LAST_DAY (see banenpool.calendar_nl)."""

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValidationError(_DAY_RANGE)
        return day


class AwareDateTime(fields.AwareDateTime):
    """An ISO 8601 moment with its UTC offset, on a day within FIRST_DAY … LAST_DAY."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if not FIRST_DAY <= moment.date() <= LAST_DAY:
            raise ValidationError(_DAY_RANGE)
        return moment


class Whole(fields.Nested):
    """A nested object that is always complete, also in a PATCH (a partial parent): an
    address without its street would otherwise replace the stored one."""

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        return super()._deserialize(value, attr, data, partial=False, **kwargs)


class LocationSchema(Schema):
    lat = fields.Float(required=True, validate=validate.Range(-90, 90))
    lon = fields.Float(required=True, validate=validate.Range(-180, 180))


class AddressSchema(Schema):
    street = fields.String(required=True, validate=validate.Length(1, 200))
    postcode = Postcode(required=True)
    city = fields.String(required=True, validate=validate.Length(1, 100))


class ClockTime(fields.Time):
    """`HH:MM` wall-clock time (local: no UTC offset, no seconds)."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = super()._deserialize(value, attr, data, **kwargs)
        if moment.tzinfo is not None or moment.second or moment.microsecond:
            raise ValidationError("must be a local time HH:MM, without seconds or UTC offset")
        return moment

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None or isinstance(value, str):  # stored JSON patterns hold "HH:MM" already
            return value
        return value.strftime("%H:%M")
