import re

from marshmallow import Schema, ValidationError, fields, post_dump, validate

from banenpool.services.employer_caos import cao_history
from banenpool.services.registry import vat_id_valid
from web.api.fields import (AddressSchema, Date, DecimalString, Integer, LocationSchema, Name, Whole, decimal_str,
                            one_line)


def _checked_vat_id(vat_id: str) -> None:
    """The check digits of an id of the right shape (the Regexp beside it names a wrong shape)."""
    if re.fullmatch(r"NL[0-9]{9}B[0-9]{2}", vat_id) and not vat_id_valid(vat_id):
        raise ValidationError("this VAT id's check digits are wrong: a typing error?")


class EmployerSchema(Schema):
    id = Integer(dump_only=True)
    name = Name(required=True, validate=one_line())
    kvk_number = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9]{8}\Z", error="a KvK number has exactly 8 digits"))
    vat_number = fields.String(allow_none=True, validate=[validate.Regexp(
        r"^NL[0-9]{9}B[0-9]{2}\Z", error="a Dutch VAT id looks like NL123456789B01"), _checked_vat_id])
    cao_code = fields.String(required=True, metadata={"description": "the CAO in force now (Amsterdam day)"})
    cao_history = fields.Method("_cao_history", dump_only=True, metadata={
        "description": "the employer's CAOs, oldest first: cao_code, valid_from (null: from the start), "
                       "valid_to (its last day; null: open)"})
    sector = fields.String(allow_none=True, validate=validate.Length(max=60))
    address = Whole(AddressSchema, allow_none=True)
    location = Whole(LocationSchema, allow_none=True)
    tariff_factor = DecimalString(places=4, validate=validate.Range(1, 5),
                                   metadata={"description": "markup on wage cost, e.g. \"1.85\""})
    invoice_email = fields.Email(allow_none=True, validate=validate.Length(max=254))

    @post_dump(pass_original=True)
    def nest(self, data, obj, **kwargs):
        if hasattr(obj, "street"):
            data["address"] = ({"street": obj.street, "postcode": obj.postcode, "city": obj.city}
                               if obj.postcode else None)
            data["location"] = {"lat": obj.lat, "lon": obj.lon} if obj.lat is not None else None
        if getattr(obj, "tariff_factor", None) is not None:
            data["tariff_factor"] = decimal_str(obj.tariff_factor)
        return data


    def _cao_history(self, obj):
        return [{"cao_code": row["cao_code"], "valid_from": row["valid_from"] and row["valid_from"].isoformat(),
                 "valid_to": row["valid_to"] and row["valid_to"].isoformat()} for row in cao_history(obj)]


class EmployerPatchSchema(EmployerSchema):
    """Every field optional: PATCH changes only what it names."""

    cao_valid_from = Date(load_only=True, metadata={
        "description": "with cao_code: the day the new CAO starts (default: today); hours before it keep the "
                       "CAO they had. 409 `cao_change_invoiced` on or before hours on a final invoice, "
                       "`cao_change_before_latest` before the employer's latest change"})
